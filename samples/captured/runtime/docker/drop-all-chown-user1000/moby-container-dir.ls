total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 5 root root 4096  ..
-rw-r----- 1 root root    0  c2da290d3cf4e1dcefcc3b173baeeaed4e542b9a2cc991524f56202810081c8d-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2511  config.v2.json
-rw-r--r-- 1 root root 1474  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

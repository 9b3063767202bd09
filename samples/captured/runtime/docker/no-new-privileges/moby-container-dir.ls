total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 8 root root 4096  ..
-rw-r----- 1 root root    0  7972795fa3b9d00b09bd5818eccfe2804a4b2c71a9a511302983cf5076ed6c49-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2501  config.v2.json
-rw-r--r-- 1 root root 1479  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 7 root root 4096  ..
-rw-r----- 1 root root    0  33a44e05d5111d3742e5b36cf132437a659836cc4eb448410f7d691bd96ca4c8-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2493  config.v2.json
-rw-r--r-- 1 root root 1479  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

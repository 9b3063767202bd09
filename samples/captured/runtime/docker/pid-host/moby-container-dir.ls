total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 6 root root 4096  ..
-rw-r----- 1 root root    0  69aaf82cd58f367a7f0650dbff0ecd812b2592a3b5f76e8ebea1eebe99645b4e-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2492  config.v2.json
-rw-r--r-- 1 root root 1479  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

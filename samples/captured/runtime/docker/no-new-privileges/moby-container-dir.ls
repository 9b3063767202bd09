total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 7 root root 4096  ..
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2499  config.v2.json
-rw-r----- 1 root root    0  d87a5237a0a8d8bf6c4a55c0169dc57e7a86bce2c9c16a97acd1cb7cd57c5af8-json.log
-rw-r--r-- 1 root root 1479  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

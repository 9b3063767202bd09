total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 3 root root 4096  ..
-rw-r----- 1 root root    0  2d1a18e125d49875265f3f54e8d07eaaee81c1692f437123afd296be43e685ed-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2491  config.v2.json
-rw-r--r-- 1 root root 1462  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

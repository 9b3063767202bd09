total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 9 root root 4096  ..
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2491  config.v2.json
-rw-r----- 1 root root    0  f2f98fcb4f8d172fba3ed46142570b42fa7d4a9c6b788edef421c36cc2465908-json.log
-rw-r--r-- 1 root root 1462  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

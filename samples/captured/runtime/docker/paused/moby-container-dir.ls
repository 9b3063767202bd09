total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 8 root root 4096  ..
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2490  config.v2.json
-rw-r----- 1 root root    0  eba7d4add37eeb56be705abaf2ecea8e666612a9b3a8c14834146d06cbb5e195-json.log
-rw-r--r-- 1 root root 1462  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

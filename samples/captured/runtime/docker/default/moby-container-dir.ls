total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 4 root root 4096  ..
-rw-r----- 1 root root    0  6618d998c4ada951be47d70e66ba031d64cb88087993eaaf18ba3de331aedde0-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2492  config.v2.json
-rw-r--r-- 1 root root 1462  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

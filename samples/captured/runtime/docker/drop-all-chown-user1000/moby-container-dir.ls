total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 6 root root 4096  ..
-rw-r----- 1 root root    0  776839d37c358dc7e4680841e041e9eafa42c5c019df4257d0cfe3e3e5ffa44c-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2512  config.v2.json
-rw-r--r-- 1 root root 1474  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

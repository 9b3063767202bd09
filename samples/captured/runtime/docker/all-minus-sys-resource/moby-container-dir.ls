total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 5 root root 4096  ..
-rw-r----- 1 root root    0  4bd1755c5e29639cb90247a319038926a869f4bf8fa49f4cc870fe47a54bacbb-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2507  config.v2.json
-rw-r--r-- 1 root root 1481  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

total 40
drwx--x--- 4 root root 4096  .
drwx--x--- 4 root root 4096  ..
-rw-r----- 1 root root    0  1aa8a82f219cfff3f366948cdfe752922c282a1890fd469c066abbb12c91f896-json.log
drwx------ 2 root root 4096  checkpoints
-rw------- 1 root root 2505  config.v2.json
-rw-r--r-- 1 root root 1481  hostconfig.json
-rw-r--r-- 1 root root   13  hostname
-rw-r--r-- 1 root root  150  hosts
drwx--x--- 2 root root 4096  mounts
-rw-r--r-- 1 root root   25  resolv.conf
-rw-r--r-- 1 root root   71  resolv.conf.hash

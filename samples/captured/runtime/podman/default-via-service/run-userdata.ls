total 24
drwx------ 2 root root 4096  .
drwx------ 3 root root 4096  ..
-rw-r--r-- 1 root root    0  .containerenv
-rw-r--r-- 1 root root    5  conmon.pid
-rw-r--r-- 1 root root   12  hostname
-rw-r--r-- 1 root root  146  hosts
-rw-r--r-- 1 root root    0  oci-log
-rw-r--r-- 1 root root    5  pidfile

total 20
drwxr-xr-x 3 root root 4096  .
drwx------ 6 root root 4096  ..
srwx------ 1 root root    0  attach
prw-r----- 1 root root    0  ctl
-rw------- 1 root root  806  exec-process-618634185
-rw-r--r-- 1 root root    3  exec_pid
drwxr-xr-x 2 root root 4096  exit
-rw-r--r-- 1 root root    0  oci-log
prw-r----- 1 root root    0  winsz

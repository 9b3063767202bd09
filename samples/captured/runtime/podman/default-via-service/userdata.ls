total 28
drwx------ 5 root root  4096  .
drwx------ 3 root root  4096  ..
drwxr-xr-x 2 root root  4096  artifacts
srwx------ 1 root root     0  attach
-rw-r--r-- 1 root root 10566  config.json
prw-r----- 1 root root     0  ctl
-rw------- 1 root root     0  ctr.log
drwxr-xr-x 2 root root  4096  secrets
drwxrwxrwt 2 root root    40  shm
prw-r----- 1 root root     0  winsz

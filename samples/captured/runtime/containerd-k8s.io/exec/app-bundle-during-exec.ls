total 40
drwx------ 3 root root 4096  .
drwx--x--x 4 root root 4096  ..
-rw-r--r-- 1 root root   89  address
-rw-r--r-- 1 root root    5  capaudit-rt-exec.pid
-rw-r--r-- 1 root root 3397  config.json
-rw-r--r-- 1 root root    5  init.pid
prwx------ 1 root root    0  log
-rw-r--r-- 1 root root    0  log.json
-rw------- 1 root root    2  options.json
drwxr-xr-x 1 root root 4096  rootfs
-rw------- 1 root root    0  runtime
-rw------- 1 root root   32  shim-binary-path
lrwxrwxrwx 1 root root  121  work -> /var/lib/containerd/io.containerd.runtime.v2.task/k8s.io/7c6aa05f364ee06424c38d22a98338bfb02192d96ec99442de24d8bec3027fd7

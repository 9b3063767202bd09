total 36
drwx------ 3 root root 4096  .
drwx--x--x 3 root root 4096  ..
-rw-r--r-- 1 root root   89  address
-rw-r--r-- 1 root root 3304  config.json
-rw-r--r-- 1 root root    5  init.pid
prwx------ 1 root root    0  log
-rw-r--r-- 1 root root    0  log.json
-rw------- 1 root root    2  options.json
drwxr-xr-x 1 root root 4096  rootfs
-rw------- 1 root root    0  runtime
-rw------- 1 root root   32  shim-binary-path
lrwxrwxrwx 1 root root  121  work -> /var/lib/containerd/io.containerd.runtime.v2.task/k8s.io/085c4f807859b1411cecdadee3ae810a768d3a8fdd21349369001a0b13c3ce85

total 48
drwx------  3 root root 4096  .
drwx--x--x 10 root root 4096  ..
-rw-r--r--  1 root root   89  address
-rw-r--r--  1 root root 8832  config.json
-rw-r--r--  1 root root    5  init.pid
prwx------  1 root root    0  log
-rw-r--r--  1 root root    0  log.json
-rw-------  1 root root   60  options.json
drwx--x--x  2 root root 4096  rootfs
-rw-------  1 root root    4  runtime
-rw-------  1 root root   32  shim-binary-path
lrwxrwxrwx  1 root root  133  work -> /var/lib/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/33a44e05d5111d3742e5b36cf132437a659836cc4eb448410f7d691bd96ca4c8

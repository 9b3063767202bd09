#!/usr/bin/env python3
"""Generates a node for capaudit host: a /proc tree and containerd's runtime state for N containers of P processes.

Usage: generate-node.py DIR [CONTAINERS] [PROCESSES_PER_CONTAINER]   (default 1000 x 10)

DIR/proc holds one directory per process (status from a real capture with its ids, user and sets rewritten, cgroup,
ns/pid, task/<pid>/status); DIR/host holds run/containerd/io.containerd.runtime.v2.task/k8s.io/<id>/{config.json,
init.pid}, each container a Kubernetes pod's app container. Capaudit reads it with
  capaudit host --no-engine --proc-root DIR/proc --host-root DIR/host
"""
import hashlib
import json
import os
import sys

root = sys.argv[1]
containers = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
per = int(sys.argv[3]) if len(sys.argv) > 3 else 10
here = os.path.dirname(os.path.abspath(__file__))
template = open(os.path.join(here, "..", "samples", "captured", "proc", "agent-fixed", "pid1.status")).read()
spec = json.load(open(os.path.join(here, "..", "samples", "captured", "runtime", "containerd-k8s.io", "app",
                                   "config.json")))
proc = os.path.join(root, "proc")
tasks = os.path.join(root, "host", "run", "containerd", "io.containerd.runtime.v2.task", "k8s.io")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def status(name, pid, ppid, nspids, uid, eff, bnd):
    ns = "\t".join(str(p) for p in nspids)
    return (template.replace("Name:\tsleep", "Name:\t" + name).replace("Tgid:\t22640", "Tgid:\t%d" % pid)
            .replace("Pid:\t22640", "Pid:\t%d" % pid).replace("PPid:\t22618", "PPid:\t%d" % ppid)
            .replace("NStgid:\t22640\t1", "NStgid:\t" + ns).replace("NSpid:\t22640\t1", "NSpid:\t" + ns)
            .replace("Uid:\t1000\t1000\t1000\t1000", "Uid:\t%d\t%d\t%d\t%d" % (uid, uid, uid, uid))
            .replace("CapPrm:\t0000000000000000", "CapPrm:\t%016x" % eff)
            .replace("CapEff:\t0000000000000000", "CapEff:\t%016x" % eff)
            .replace("CapBnd:\t0000000000000100", "CapBnd:\t%016x" % bnd))


def process(pid, ppid, nspids, ns, uid, cgroup, eff, bnd, name="sleep"):
    d = os.path.join(proc, str(pid))
    text = status(name, pid, ppid, nspids, uid, eff, bnd)
    write(os.path.join(d, "status"), text)
    write(os.path.join(d, "task", str(pid), "status"), text)
    write(os.path.join(d, "cgroup"), "4:memory:%s\n0::%s\n" % (cgroup, cgroup) if cgroup else "0::/\n")
    os.makedirs(os.path.join(d, "ns"), exist_ok=True)
    os.symlink(ns, os.path.join(d, "ns", "pid"))


host_ns = "pid:[4026531836]"
write(os.path.join(proc, "sys", "kernel", "cap_last_cap"), "40\n")
write(os.path.join(proc, "sys", "kernel", "hostname"), "node-%d\n" % containers)
write(os.path.join(proc, "self", "status"), status("capaudit", 2, 1, [2], 0, 0x1ffffffffff, 0x1ffffffffff))
process(1, 0, [1], host_ns, 0, "", 0x1ffffffffff, 0x1ffffffffff, "systemd")
pid = 100
defaults = 0xa80425fb
for c in range(containers):
    cid = hashlib.sha256(b"container-%d" % c).hexdigest()
    pod = "web-%d" % c
    cspec = json.loads(json.dumps(spec))
    cspec["annotations"].update({"io.kubernetes.cri.sandbox-name": pod, "io.kubernetes.cri.sandbox-namespace":
                                 "ns-%d" % (c % 20), "io.kubernetes.cri.container-name": "app",
                                 "io.kubernetes.cri.sandbox-id": cid})
    write(os.path.join(tasks, cid, "config.json"), json.dumps(cspec))
    init = pid
    write(os.path.join(tasks, cid, "init.pid"), str(init))
    ns = "pid:[%d]" % (4026540000 + c)
    cgroup = "/kubepods/besteffort/pod%d/%s" % (c, cid)
    shim = pid - 1 if c else 99
    process(init, shim, [init, 1], ns, 0, cgroup, defaults, defaults, "entry")
    for p in range(1, per):
        process(init + p, init, [init + p, p + 1], ns, 1000 if p % 2 else 0, cgroup, 0 if p % 2 else defaults,
                defaults)
    pid += per + 1
print("generated %d containers x %d processes under %s" % (containers, per, root))

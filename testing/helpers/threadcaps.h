/*
 * threadcaps.h — per-thread credential changes for capaudit's thread test
 * helpers.
 *
 * Why raw syscalls: glibc's setresuid()/setresgid() wrappers (and libcap's
 * cap_set_proc with psx) broadcast the change to every thread of the process
 * (POSIX "setxid" semantics).  The kernel keeps credentials per thread, and
 * these helpers exist to create processes whose threads DIFFER, so every change
 * goes through syscall(2) and affects only the calling thread.
 */
#ifndef CAPAUDIT_THREADCAPS_H
#define CAPAUDIT_THREADCAPS_H

#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAPBIT(c) (UINT64_C(1) << (c))

static inline void die(const char *what)
{
    /* errno text only: nothing here is secret, and the caller wants the cause */
    dprintf(2, "%s: %s\n", what, strerror(errno));
    _exit(1);
}

static inline pid_t gettid_raw(void)
{
    return (pid_t)syscall(SYS_gettid);
}

/* Read the calling thread's effective/permitted/inheritable sets. */
static inline void capget_self(uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    if (syscall(SYS_capget, &h, d) != 0)
        die("capget");
    *eff = ((uint64_t)d[1].effective << 32) | d[0].effective;
    *prm = ((uint64_t)d[1].permitted << 32) | d[0].permitted;
    *inh = ((uint64_t)d[1].inheritable << 32) | d[0].inheritable;
}

/* Set the calling thread's sets (pid 0 = this thread only). */
static inline void capset_self(uint64_t eff, uint64_t prm, uint64_t inh)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    d[0].effective = (uint32_t)eff;
    d[1].effective = (uint32_t)(eff >> 32);
    d[0].permitted = (uint32_t)prm;
    d[1].permitted = (uint32_t)(prm >> 32);
    d[0].inheritable = (uint32_t)inh;
    d[1].inheritable = (uint32_t)(inh >> 32);
    if (syscall(SYS_capset, &h, d) != 0)
        die("capset");
}

/* gid first: once the uid is not 0, CAP_SETGID may already be gone. */
static inline void step_down_self(unsigned id)
{
    if (syscall(SYS_setresgid, id, id, id) != 0)
        die("setresgid");
    if (syscall(SYS_setresuid, id, id, id) != 0)
        die("setresuid");
}

/* One line per thread once its sets are final; capture.sh waits for these. */
static inline void ready(const char *who)
{
    uint64_t eff, prm, inh;
    capget_self(&eff, &prm, &inh);
    dprintf(1, "ready %s tid=%d uid=%d CapPrm=%016llx CapEff=%016llx\n", who, (int)gettid_raw(),
            (int)getuid(), (unsigned long long)prm, (unsigned long long)eff);
}

static inline void on_term(int sig)
{
    (void)sig;
    _exit(0);
}

/*
 * As pid 1 of a container the process ignores signals it has no handler for,
 * so `docker stop` would wait for its SIGKILL timeout without this.
 */
static inline void exit_on_sigterm(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0)
        die("sigaction");
}

static inline void sleep_forever(void)
{
    for (;;)
        pause();
}

#endif

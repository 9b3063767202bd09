/*
 * thread-keeps-caps — a process whose threads hold different capabilities.
 *
 * A helper thread is started FIRST (so it shares the root credentials the
 * process started with), then, on its own thread only:
 *   setresgid/setresuid(1000) with PR_SET_KEEPCAPS, so the permitted set
 *   survives the uid change, then capset() to keep exactly CHOWN, FOWNER,
 *   SETUID, SETGID, KILL and SETPCAP (0x1e9) in permitted and effective.
 * The main thread then steps down to uid 1000 WITHOUT keepcaps: the kernel
 * clears its permitted and effective sets.
 *
 * So /proc/<pid>/status (the leader) shows a harmless uid-1000 process with no
 * capabilities, while /proc/<pid>/task/<tid>/status of the helper shows uid
 * 1000 with CapEff 0x1e9: what a scanner misses when it reads only the leader.
 * The bounding set is left alone in both threads.
 */
#include "threadcaps.h"

#include <pthread.h>

#define KEEP (CAPBIT(CAP_CHOWN) | CAPBIT(CAP_FOWNER) | CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID) | \
              CAPBIT(CAP_KILL) | CAPBIT(CAP_SETPCAP))

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int helper_done;

static void *helper(void *arg)
{
    (void)arg;
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
        die("prctl(PR_SET_KEEPCAPS)");
    step_down_self(1000);
    /* keepcaps kept permitted; effective was cleared by the uid change */
    capset_self(KEEP, KEEP, 0);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
        die("prctl(PR_SET_KEEPCAPS, 0)");
    ready("helper");

    pthread_mutex_lock(&lock);
    helper_done = 1;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    sleep_forever();
    return NULL;
}

int main(void)
{
    pthread_t t;
    exit_on_sigterm();
    if ((errno = pthread_create(&t, NULL, helper, NULL)) != 0)
        die("pthread_create");

    /* wait for the helper, so its change cannot race the main thread's */
    pthread_mutex_lock(&lock);
    while (!helper_done)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);

    step_down_self(1000);
    ready("main");
    sleep_forever();
}

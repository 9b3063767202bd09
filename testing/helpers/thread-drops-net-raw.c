/*
 * thread-drops-net-raw — the leader drops CAP_NET_RAW, a second thread keeps it.
 *
 * The second thread is created first, with the container's full root set.
 * Then the leader, on its own thread only, removes CAP_NET_RAW from its
 * bounding set (prctl(PR_CAPBSET_DROP) acts on the calling thread) and from
 * its permitted and effective sets (capset with pid 0).  Both stay root.
 *
 * /proc/<pid>/status says NET_RAW is gone everywhere; the second thread's
 * /proc/<pid>/task/<tid>/status still has it in CapPrm, CapEff and CapBnd.
 */
#include "threadcaps.h"

#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int keeper_started;

static void *keeper(void *arg)
{
    (void)arg;
    ready("keeper");
    pthread_mutex_lock(&lock);
    keeper_started = 1;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    sleep_forever();
    return NULL;
}

int main(void)
{
    pthread_t t;
    uint64_t eff, prm, inh;
    exit_on_sigterm();
    if ((errno = pthread_create(&t, NULL, keeper, NULL)) != 0)
        die("pthread_create");
    pthread_mutex_lock(&lock);
    while (!keeper_started)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);

    if (prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0) != 0)
        die("prctl(PR_CAPBSET_DROP, CAP_NET_RAW)");
    capget_self(&eff, &prm, &inh);
    capset_self(eff & ~CAPBIT(CAP_NET_RAW), prm & ~CAPBIT(CAP_NET_RAW), inh & ~CAPBIT(CAP_NET_RAW));
    ready("leader");
    sleep_forever();
}

/*
 * thread-zombie-leader — the thread-group leader exits, another thread lives.
 *
 * A worker thread is created first and keeps the container's root set.  The
 * leader then drops every capability and steps down to uid 1000 (its own
 * thread only), prints its ready line and calls pthread_exit(): the process
 * goes on, but its leader is a zombie (State: Z) until the last thread exits.
 *
 * /proc/<pid>/status then describes the dead leader (uid 1000, no
 * capabilities); the live worker's /proc/<pid>/task/<tid>/status still holds
 * uid 0 and the full set.  A scanner that reads only the leader, or skips
 * zombies, reports the process as harmless.
 */
#include "threadcaps.h"

#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int worker_started;

static void *worker(void *arg)
{
    (void)arg;
    ready("worker");
    pthread_mutex_lock(&lock);
    worker_started = 1;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    sleep_forever();
    return NULL;
}

int main(void)
{
    pthread_t t;
    exit_on_sigterm();
    if ((errno = pthread_create(&t, NULL, worker, NULL)) != 0)
        die("pthread_create");
    pthread_mutex_lock(&lock);
    while (!worker_started)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);

    step_down_self(1000);     /* no keepcaps: permitted and effective cleared */
    capset_self(0, 0, 0);     /* inheritable too (it was already empty) */
    ready("leader");
    pthread_exit(NULL);
}

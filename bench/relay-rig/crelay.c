/*
 * crelay: the floor for a userspace UDP relay on this machine, for the relay-comparison rig
 * (bench/relay-rig/README.md). No parsing, no rewriting: for each call two loopback sockets A
 * and B; whatever arrives on A goes out of B to the source last seen on B, and vice versa (each
 * socket latches onto the first source it hears). Receive with recvmmsg per ready socket until
 * the socket is drained, send the batch with one sendmmsg; one epoll instance per thread, calls
 * spread over the threads, the threads block in epoll_wait (no sleep).
 *
 * Usage: crelay CALLS PORTS_FILE [THREADS]
 * Writes "A_PORT B_PORT" per call to PORTS_FILE (then renames it into place), runs until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 32
#define MAX_DATAGRAM 2048

struct end {
    int fd;
    int latched;
    struct sockaddr_in peer;
    struct end *partner;
};

struct worker {
    int epoll;
};

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void *run(void *arg)
{
    struct worker *w = arg;
    static __thread unsigned char buffers[BATCH][MAX_DATAGRAM];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_in sources[BATCH];
    struct epoll_event events[256];

    for (;;) {
        int ready = epoll_wait(w->epoll, events, 256, -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        for (int e = 0; e < ready; e++) {
            struct end *in = events[e].data.ptr;
            for (;;) {
                for (int i = 0; i < BATCH; i++) {
                    iov[i].iov_base = buffers[i];
                    iov[i].iov_len = MAX_DATAGRAM;
                    memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
                    msgs[i].msg_hdr.msg_iov = &iov[i];
                    msgs[i].msg_hdr.msg_iovlen = 1;
                    msgs[i].msg_hdr.msg_name = &sources[i];
                    msgs[i].msg_hdr.msg_namelen = sizeof sources[i];
                }
                int n = recvmmsg(in->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
                if (n <= 0)
                    break;
                if (!in->latched) {
                    in->peer = sources[0];
                    in->latched = 1;
                }
                struct end *out = in->partner;
                if (out->latched) {
                    for (int i = 0; i < n; i++) {
                        iov[i].iov_len = msgs[i].msg_len;
                        msgs[i].msg_hdr.msg_name = &out->peer;
                        msgs[i].msg_hdr.msg_namelen = sizeof out->peer;
                    }
                    int sent = 0;
                    while (sent < n) {
                        int r = sendmmsg(out->fd, msgs + sent, n - sent, MSG_DONTWAIT);
                        if (r <= 0)
                            break; /* a full buffer drops the rest, as a relay must */
                        sent += r;
                    }
                }
                if (n < BATCH)
                    break;
            }
        }
    }
    return NULL;
}

static int bind_loopback(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("bind");
    return fd;
}

static int port_of(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        die("getsockname");
    return ntohs(a.sin_port);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: crelay CALLS PORTS_FILE [THREADS]\n");
        return 2;
    }
    int calls = atoi(argv[1]);
    int threads = argc > 3 ? atoi(argv[3]) : 2;
    if (calls <= 0 || threads <= 0) {
        fprintf(stderr, "crelay: CALLS and THREADS must be positive\n");
        return 2;
    }

    struct worker *workers = calloc(threads, sizeof *workers);
    for (int t = 0; t < threads; t++) {
        workers[t].epoll = epoll_create1(EPOLL_CLOEXEC);
        if (workers[t].epoll < 0)
            die("epoll_create1");
    }

    char temp[4096];
    snprintf(temp, sizeof temp, "%s.tmp", argv[2]);
    FILE *ports = fopen(temp, "w");
    if (!ports)
        die("fopen");
    struct end *ends = calloc(2 * (size_t)calls, sizeof *ends);
    for (int c = 0; c < calls; c++) {
        struct end *a = &ends[2 * c], *b = &ends[2 * c + 1];
        a->fd = bind_loopback();
        b->fd = bind_loopback();
        a->partner = b;
        b->partner = a;
        int epoll = workers[c % threads].epoll;
        struct epoll_event ea = { .events = EPOLLIN, .data.ptr = a };
        struct epoll_event eb = { .events = EPOLLIN, .data.ptr = b };
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, a->fd, &ea) != 0 || epoll_ctl(epoll, EPOLL_CTL_ADD, b->fd, &eb) != 0)
            die("epoll_ctl");
        fprintf(ports, "%d %d\n", port_of(a->fd), port_of(b->fd));
    }
    fclose(ports);
    if (rename(temp, argv[2]) != 0)
        die("rename");

    pthread_t *ids = calloc(threads, sizeof *ids);
    for (int t = 0; t < threads; t++)
        pthread_create(&ids[t], NULL, run, &workers[t]);
    for (int t = 0; t < threads; t++)
        pthread_join(ids[t], NULL);
    return 0;
}

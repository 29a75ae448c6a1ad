/*
 * rtpgen: RTP generator and receiver of the relay-comparison rig (bench/relay-rig/README.md).
 *
 * For each call of PORTS_FILE ("A_PORT B_PORT" per line, written by the relay under test) two
 * loopback sockets: a sends to the relay's A port, b to its B port, each a 172-byte PCMU-shaped
 * RTP packet every 20 ms, the 2N sockets spread evenly over the period. The payload carries a
 * magic, the sending socket, a sequence number and the CLOCK_MONOTONIC send time: the receiver
 * (one thread, epoll + recvmmsg) checks that a's packets reach b and b's reach a (else
 * "misrouted"), and times each packet (one-way: send -> relay -> receive).
 *
 * After WARMUP seconds, a WINDOW of seconds: packets count by their send time (sent in the
 * window; received up to 500 ms after it). The relay's CPU is read from /proc/PID/stat
 * (utime + stime) at the window's edges, the machine's from /proc/stat, our own likewise.
 *
 * Usage: rtpgen PORTS_FILE RELAY_PID WARMUP_S WINDOW_S [direct]
 *   direct: a and b send to each other, no relay (what the generator adds to latency);
 *           RELAY_PID 0.
 * Prints one line of key=value pairs. Exit 1 on a setup error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PACKET 172
#define HEADER 12
#define MAGIC 0x52494731u /* "RIG1" */
#define PERIOD_NS 20000000LL
#define BATCH 32
#define HISTOGRAM_US 200000 /* latencies above 200 ms count in the last bucket */

static int calls, sockets_count, direct;
static int *fds;
static struct sockaddr_in *targets;
static int64_t window_start, window_end, stop_at;
static atomic_int stopping;
static uint64_t sent_in_window, received_in_window, misrouted, foreign;
static uint32_t *histogram;

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* utime + stime of a process in clock ticks, -1 if it is gone; utime alone in *user if not NULL. */
static long long process_ticks(long pid, long long *user)
{
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = 0;
    char *p = strrchr(line, ')'); /* the command name may hold spaces */
    if (!p)
        return -1;
    unsigned long long utime = 0, stime = 0;
    /* after ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return -1;
    if (user)
        *user = (long long)utime;
    return (long long)(utime + stime);
}

/* busy and total jiffies of the whole machine */
static void machine_ticks(long long *busy, long long *total)
{
    unsigned long long v[10] = { 0 };
    FILE *f = fopen("/proc/stat", "r");
    if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) < 8)
        die("/proc/stat");
    fclose(f);
    *total = 0;
    for (int i = 0; i < 8; i++)
        *total += (long long)v[i];
    *busy = *total - (long long)(v[3] + v[4]);
}

static void *sender(void *unused)
{
    (void)unused;
    unsigned char packet[PACKET];
    memset(packet, 0xff, sizeof packet);
    uint32_t *sequence = calloc(sockets_count, sizeof *sequence);
    int64_t start = now_ns() + 10000000LL;
    int64_t slot_ns = PERIOD_NS / sockets_count;
    int next = 0;
    int64_t period_start = start;
    struct timespec wake;
    while (!atomic_load(&stopping)) {
        int64_t now = now_ns();
        if (now >= stop_at)
            break;
        /* every socket whose slot in the current period is due */
        while (period_start + next * slot_ns <= now) {
            int k = next;
            uint32_t seq = sequence[k]++;
            packet[0] = 0x80;
            packet[1] = 0; /* PCMU */
            uint16_t seq16 = htons((uint16_t)seq);
            memcpy(packet + 2, &seq16, 2);
            uint32_t ts = htonl(seq * 160u), ssrc = htonl(0x1000u + (uint32_t)k);
            memcpy(packet + 4, &ts, 4);
            memcpy(packet + 8, &ssrc, 4);
            uint32_t magic = MAGIC, from = (uint32_t)k;
            memcpy(packet + HEADER, &magic, 4);
            memcpy(packet + HEADER + 4, &from, 4);
            memcpy(packet + HEADER + 8, &seq, 4);
            int64_t sent_at = now_ns();
            memcpy(packet + HEADER + 12, &sent_at, 8);
            if (sendto(fds[k], packet, PACKET, MSG_DONTWAIT, (struct sockaddr *)&targets[k], sizeof targets[k]) == PACKET
                && sent_at >= window_start && sent_at < window_end)
                __atomic_add_fetch(&sent_in_window, 1, __ATOMIC_RELAXED);
            if (++next == sockets_count) {
                next = 0;
                period_start += PERIOD_NS;
            }
        }
        int64_t due = period_start + next * slot_ns;
        /* sleep to the next due slot, at least 0.5 ms: packets go out in small bursts */
        if (due < now + 500000)
            due = now + 500000;
        wake.tv_sec = due / 1000000000LL;
        wake.tv_nsec = due % 1000000000LL;
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
    }
    free(sequence);
    return NULL;
}

static void *receiver(void *unused)
{
    (void)unused;
    int epoll = epoll_create1(EPOLL_CLOEXEC);
    for (int k = 0; k < sockets_count; k++) {
        struct epoll_event e = { .events = EPOLLIN, .data.u32 = (uint32_t)k };
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, fds[k], &e) != 0)
            die("epoll_ctl");
    }
    static unsigned char buffers[BATCH][2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct epoll_event events[256];
    while (!atomic_load(&stopping)) {
        int ready = epoll_wait(epoll, events, 256, 50);
        for (int e = 0; e < ready; e++) {
            int k = (int)events[e].data.u32;
            for (;;) {
                for (int i = 0; i < BATCH; i++) {
                    iov[i].iov_base = buffers[i];
                    iov[i].iov_len = sizeof buffers[i];
                    memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
                    msgs[i].msg_hdr.msg_iov = &iov[i];
                    msgs[i].msg_hdr.msg_iovlen = 1;
                }
                int n = recvmmsg(fds[k], msgs, BATCH, MSG_DONTWAIT, NULL);
                if (n <= 0)
                    break;
                int64_t received_at = now_ns();
                for (int i = 0; i < n; i++) {
                    unsigned char *p = buffers[i];
                    int length = (int)msgs[i].msg_len;
                    int header = HEADER + 4 * (p[0] & 0x0f);
                    uint32_t magic, from;
                    int64_t sent_at;
                    if (length < header + 20) {
                        foreign++;
                        continue;
                    }
                    memcpy(&magic, p + header, 4);
                    memcpy(&from, p + header + 4, 4);
                    memcpy(&sent_at, p + header + 12, 8);
                    if (magic != MAGIC) {
                        foreign++;
                        continue;
                    }
                    if ((int)(from ^ 1u) != k) {
                        misrouted++;
                        continue;
                    }
                    if (sent_at >= window_start && sent_at < window_end) {
                        received_in_window++;
                        int64_t us = (received_at - sent_at) / 1000;
                        histogram[us < 0 ? 0 : us >= HISTOGRAM_US ? HISTOGRAM_US - 1 : us]++;
                    }
                }
                if (n < BATCH)
                    break;
            }
        }
    }
    close(epoll);
    return NULL;
}

static double percentile(double q)
{
    uint64_t total = 0, seen = 0;
    for (int i = 0; i < HISTOGRAM_US; i++)
        total += histogram[i];
    if (total == 0)
        return -1;
    uint64_t rank = (uint64_t)(q * (double)(total - 1)) + 1;
    for (int i = 0; i < HISTOGRAM_US; i++) {
        seen += histogram[i];
        if (seen >= rank)
            return i / 1000.0;
    }
    return HISTOGRAM_US / 1000.0;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: rtpgen PORTS_FILE RELAY_PID WARMUP_S WINDOW_S [direct]\n");
        return 2;
    }
    long pid = atol(argv[2]);
    double warmup = atof(argv[3]), window = atof(argv[4]);
    direct = argc > 5 && strcmp(argv[5], "direct") == 0;

    FILE *f = fopen(argv[1], "r");
    if (!f)
        die(argv[1]);
    int capacity = 1024, a, b;
    int *ports = malloc(sizeof(int) * 2 * capacity);
    while (fscanf(f, "%d %d", &a, &b) == 2) {
        if (calls == capacity) {
            capacity *= 2;
            ports = realloc(ports, sizeof(int) * 2 * capacity);
        }
        ports[2 * calls] = a;
        ports[2 * calls + 1] = b;
        calls++;
    }
    fclose(f);
    if (calls == 0) {
        fprintf(stderr, "rtpgen: no call in %s\n", argv[1]);
        return 1;
    }

    sockets_count = 2 * calls;
    fds = calloc(sockets_count, sizeof *fds);
    targets = calloc(sockets_count, sizeof *targets);
    histogram = calloc(HISTOGRAM_US, sizeof *histogram);
    for (int k = 0; k < sockets_count; k++) {
        fds[k] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fds[k] < 0)
            die("socket");
        struct sockaddr_in local = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        if (bind(fds[k], (struct sockaddr *)&local, sizeof local) != 0)
            die("bind");
    }
    for (int k = 0; k < sockets_count; k++) {
        targets[k].sin_family = AF_INET;
        targets[k].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (direct) {
            struct sockaddr_in peer;
            socklen_t len = sizeof peer;
            getsockname(fds[k ^ 1], (struct sockaddr *)&peer, &len);
            targets[k].sin_port = peer.sin_port;
        } else {
            targets[k].sin_port = htons((uint16_t)ports[k]);
        }
    }

    int64_t t0 = now_ns();
    window_start = t0 + (int64_t)(warmup * 1e9);
    window_end = window_start + (int64_t)(window * 1e9);
    stop_at = window_end + 100000000LL;

    pthread_t send_thread, receive_thread;
    pthread_create(&receive_thread, NULL, receiver, NULL);
    pthread_create(&send_thread, NULL, sender, NULL);

    struct timespec wake = { .tv_sec = window_start / 1000000000LL, .tv_nsec = window_start % 1000000000LL };
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
    long long user0 = 0, user1 = 0;
    long long relay0 = pid > 0 ? process_ticks(pid, &user0) : 0, self0 = process_ticks(getpid(), NULL), busy0, total0;
    machine_ticks(&busy0, &total0);
    wake.tv_sec = window_end / 1000000000LL;
    wake.tv_nsec = window_end % 1000000000LL;
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
    long long relay1 = pid > 0 ? process_ticks(pid, &user1) : 0, self1 = process_ticks(getpid(), NULL), busy1, total1;
    machine_ticks(&busy1, &total1);
    if (relay0 < 0 || relay1 < 0) {
        fprintf(stderr, "rtpgen: relay process %ld is gone\n", pid);
        return 1;
    }

    pthread_join(send_thread, NULL);
    usleep(500000); /* late packets of the window */
    atomic_store(&stopping, 1);
    pthread_join(receive_thread, NULL);

    double tick = (double)sysconf(_SC_CLK_TCK);
    double relay_ms = (relay1 - relay0) * 1000.0 / tick;
    double loss = sent_in_window == 0 ? 100.0 : 100.0 * (double)(sent_in_window - received_in_window) / (double)sent_in_window;
    printf("calls=%d window_s=%.1f sent=%llu received=%llu loss_pct=%.4f misrouted=%llu foreign=%llu "
           "relay_cpu_ms=%.0f relay_user_ms=%.0f ms_per_call_s=%.4f us_per_packet=%.2f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f "
           "gen_cpu_pct=%.1f machine_busy_pct=%.1f\n",
           calls, window, (unsigned long long)sent_in_window, (unsigned long long)received_in_window, loss,
           (unsigned long long)misrouted, (unsigned long long)foreign, relay_ms, (user1 - user0) * 1000.0 / tick, relay_ms / (calls * window),
           received_in_window == 0 ? 0.0 : relay_ms * 1000.0 / (double)received_in_window,
           percentile(0.50), percentile(0.99), percentile(0.999), percentile(1.0),
           (self1 - self0) * 100.0 / tick / window, total1 == total0 ? 0.0 : 100.0 * (busy1 - busy0) / (double)(total1 - total0));
    return 0;
}

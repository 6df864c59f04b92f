/* pool.c: the forked worker pool. Each worker runs whole tests (all their
 * variants) sent by index over a pipe and streams one frame per variant
 * back. The parent notices a worker that dies (crash) or stops reporting
 * (hang past the soft limit plus a grace period: it is killed), records the
 * variant it was on, forks a replacement and hands it the rest of the test. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t262.h"

enum { FRAME_RESULT = 1, FRAME_END = 2, FRAME_FATAL = 3 };

typedef struct Frame {
  uint32_t index;
  uint8_t kind;
  uint8_t variant;
  uint8_t outcome;
  uint8_t variants;
  uint32_t us;
  uint32_t msg_len;
} Frame;

typedef struct Job {
  uint32_t index;
  uint32_t done; /* variants already decided (after a crash) */
} Job;

typedef struct Worker {
  pid_t pid;
  int job_fd; /* parent writes Jobs */
  int res_fd; /* parent reads Frames */
  bool busy;
  bool killed; /* we sent SIGKILL for a timeout */
  size_t index;
  double variant_start; /* when the variant now running started */
  char *buf;
  size_t buf_len, buf_cap;
} Worker;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static bool write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    c += w;
    n -= (size_t)w;
  }
  return true;
}

static bool read_all(int fd, void *p, size_t n) {
  char *c = p;
  while (n) {
    ssize_t r = read(fd, c, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    c += r;
    n -= (size_t)r;
  }
  return true;
}

/* --- the worker side --------------------------------------------------------------- */

typedef struct WorkerCtx {
  int fd;
} WorkerCtx;

static void send_frame(int fd, uint8_t kind, size_t index, unsigned variants, int v, int o,
                       uint32_t us, const char *msg) {
  size_t n = msg ? strlen(msg) : 0;
  if (n > 1000) n = 1000;
  char buf[sizeof(Frame) + 1000];
  Frame f = {(uint32_t)index, kind, (uint8_t)v, (uint8_t)o, (uint8_t)variants, us, (uint32_t)n};
  memcpy(buf, &f, sizeof f);
  if (n) memcpy(buf + sizeof f, msg, n);
  /* One write below PIPE_BUF: a frame arrives whole or not at all. */
  if (!write_all(fd, buf, sizeof f + n)) _exit(4);
}

static void worker_emit(void *ctx, size_t index, unsigned variants, T262Variant v, T262Outcome o,
                        uint32_t us, const char *msg) {
  WorkerCtx *w = ctx;
  send_frame(w->fd, FRAME_RESULT, index, variants, v, o, us, msg && msg[0] ? msg : NULL);
}

static void worker_main(const T262Config *cfg, T262Test *tests, int job_fd, int res_fd) {
  signal(SIGPIPE, SIG_DFL);
  signal(SIGINT, SIG_IGN); /* the parent decides when to stop */
  struct rlimit core = {0, 0};
  setrlimit(RLIMIT_CORE, &core); /* crashes are expected; no core files */
  if (cfg->max_data_bytes) {
    struct rlimit data = {cfg->max_data_bytes, cfg->max_data_bytes};
    setrlimit(RLIMIT_DATA, &data);
  }
  if (cfg->backend->worker_init) {
    char msg[512] = "";
    if (!cfg->backend->worker_init(cfg, msg, sizeof msg)) {
      send_frame(res_fd, FRAME_FATAL, 0, 0, 0, 0, 0, msg);
      _exit(3);
    }
  }
  WorkerCtx ctx = {res_fd};
  Job job;
  while (read_all(job_fd, &job, sizeof job)) {
    t262_run_test(cfg, &tests[job.index], job.index, job.done, worker_emit, &ctx);
    send_frame(res_fd, FRAME_END, job.index, 0, 0, 0, 0, NULL);
  }
  _exit(0);
}

/* --- the parent side --------------------------------------------------------------- */

typedef struct Pool {
  const T262Config *cfg;
  T262Test *tests;
  size_t n_tests;
  Worker *workers;
  int n_workers;
  size_t next; /* next never-dispatched test */
  Job *retry;  /* tests to resume after a crash */
  size_t n_retry;
  size_t finished;
  bool fatal;
  double last_progress;
} Pool;

static bool spawn(Pool *p, int slot) {
  int job_pipe[2], res_pipe[2];
  if (pipe(job_pipe) != 0) return false;
  if (pipe(res_pipe) != 0) {
    close(job_pipe[0]);
    close(job_pipe[1]);
    return false;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(job_pipe[0]);
    close(job_pipe[1]);
    close(res_pipe[0]);
    close(res_pipe[1]);
    return false;
  }
  if (pid == 0) {
    /* Drop the other workers' pipe ends, or their EOFs would never come. */
    for (int i = 0; i < p->n_workers; i++) {
      if (p->workers[i].pid > 0) {
        close(p->workers[i].job_fd);
        close(p->workers[i].res_fd);
      }
    }
    close(job_pipe[1]);
    close(res_pipe[0]);
    worker_main(p->cfg, p->tests, job_pipe[0], res_pipe[1]);
  }
  close(job_pipe[0]);
  close(res_pipe[1]);
  Worker *w = &p->workers[slot];
  w->pid = pid;
  w->job_fd = job_pipe[1];
  w->res_fd = res_pipe[0];
  w->busy = false;
  w->killed = false;
  w->buf_len = 0;
  return true;
}

static void record(Pool *p, size_t index, unsigned variants, int v, int outcome, uint32_t us,
                   const char *msg, size_t msg_len) {
  if (index >= p->n_tests || v < 0 || v >= T262_VAR_COUNT) return;
  T262Test *t = &p->tests[index];
  if (variants) t->variants = variants;
  t->variants |= 1u << v;
  t->reported |= 1u << v;
  T262Result *r = &t->res[v];
  r->outcome = (uint8_t)outcome;
  r->us = us;
  free(r->message);
  r->message = msg_len ? strndup(msg, msg_len) : NULL;
  if (p->cfg->verbose && outcome != T262_PASS && outcome != T262_SKIP)
    fprintf(stderr, "%s %s [%s]: %.*s\n", t262_outcome_name((T262Outcome)outcome), t->rel_path,
            t262_variant_name((T262Variant)v), (int)msg_len, msg ? msg : "");
}

static void progress(Pool *p) {
  if (p->cfg->quiet) return;
  double t = now_ms();
  if (t - p->last_progress < 5000 && p->finished != p->n_tests) return;
  p->last_progress = t;
  fprintf(stderr, "test262: %zu/%zu tests done\n", p->finished, p->n_tests);
}

static bool dispatch(Pool *p, Worker *w) {
  Job job;
  if (p->n_retry) {
    job = p->retry[--p->n_retry];
  } else if (p->next < p->n_tests) {
    job.index = (uint32_t)p->next++;
    job.done = 0;
  } else {
    return false;
  }
  w->busy = true;
  w->index = job.index;
  w->variant_start = now_ms();
  if (!write_all(w->job_fd, &job, sizeof job)) {
    /* The worker is gone; its death is handled when its pipe reports EOF. */
    p->retry[p->n_retry++] = job;
    w->busy = false;
    return false;
  }
  return true;
}

/* Variants of a test, when the worker died before reporting any. */
static unsigned variants_from_file(const Pool *p, const T262Test *t) {
  if (t->variants) return t->variants;
  if (t->is_harness) return 1u << T262_VAR_SLOPPY;
  char path[4096];
  snprintf(path, sizeof path, "%s/test/%s", p->cfg->suite_dir, t->rel_path);
  size_t len;
  char *src = t262_read_file(path, &len);
  T262Meta meta;
  char err[256];
  unsigned v = 1u << T262_VAR_SLOPPY;
  if (src && t262_parse_frontmatter(src, len, &meta, err, sizeof err)) v = t262_variants_of(&meta);
  free(src);
  return v;
}

static void describe_status(int status, bool killed, unsigned timeout_ms, char *msg, size_t size) {
  if (killed)
    snprintf(msg, size, "no result %u ms after the time limit: worker killed", timeout_ms);
  else if (WIFSIGNALED(status))
    snprintf(msg, size, "worker killed by signal %d (%s)", WTERMSIG(status),
             strsignal(WTERMSIG(status)));
  else if (WIFEXITED(status))
    snprintf(msg, size, "worker exited with status %d", WEXITSTATUS(status));
  else
    snprintf(msg, size, "worker vanished");
}

/* A worker is gone: blame the variant it was running, queue the rest of
 * its test, replace it. */
static void reap(Pool *p, int slot) {
  Worker *w = &p->workers[slot];
  int status = 0;
  while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR) {
  }
  close(w->job_fd);
  close(w->res_fd);
  w->pid = -1;
  if (w->busy) {
    T262Test *t = &p->tests[w->index];
    unsigned variants = variants_from_file(p, t);
    t->variants = variants;
    unsigned left = variants & ~t->reported;
    if (left) {
      int v = __builtin_ctz(left);
      char msg[256];
      describe_status(status, w->killed, p->cfg->hard_grace_ms, msg, sizeof msg);
      record(p, w->index, variants, v, w->killed ? T262_TIMEOUT : T262_CRASH,
             (uint32_t)((now_ms() - w->variant_start) * 1000), msg, strlen(msg));
      left &= ~(1u << v);
    }
    if (left) {
      p->retry[p->n_retry].index = (uint32_t)w->index;
      p->retry[p->n_retry++].done = t->reported;
    } else {
      p->finished++;
      progress(p);
    }
    w->busy = false;
  }
  if (!p->fatal && !spawn(p, slot)) {
    fprintf(stderr, "test262: cannot fork a worker: %s\n", strerror(errno));
    p->fatal = true;
  }
}

/* Handles complete frames in w's buffer. */
static void consume(Pool *p, Worker *w) {
  size_t off = 0;
  while (w->buf_len - off >= sizeof(Frame)) {
    Frame f;
    memcpy(&f, w->buf + off, sizeof f);
    if (w->buf_len - off < sizeof f + f.msg_len) break;
    const char *msg = w->buf + off + sizeof f;
    off += sizeof f + f.msg_len;
    if (f.kind == FRAME_FATAL) {
      fprintf(stderr, "test262: worker cannot start: %.*s\n", (int)f.msg_len, msg);
      p->fatal = true;
    } else if (f.kind == FRAME_RESULT) {
      record(p, f.index, f.variants, f.variant, f.outcome, f.us, msg, f.msg_len);
      w->variant_start = now_ms();
    } else if (f.kind == FRAME_END) {
      w->busy = false;
      p->finished++;
      progress(p);
    }
  }
  memmove(w->buf, w->buf + off, w->buf_len - off);
  w->buf_len -= off;
}

bool t262_pool_run(const T262Config *cfg, T262Test *tests, size_t n_tests) {
  Pool pool = {.cfg = cfg, .tests = tests, .n_tests = n_tests};
  Pool *p = &pool;
  p->n_workers = cfg->jobs > 0 ? cfg->jobs : 1;
  if ((size_t)p->n_workers > n_tests) p->n_workers = n_tests ? (int)n_tests : 1;
  p->workers = calloc((size_t)p->n_workers, sizeof *p->workers);
  p->retry = calloc((size_t)p->n_workers + 1, sizeof *p->retry);
  if (!p->workers || !p->retry) return false;
  for (int i = 0; i < p->n_workers; i++) p->workers[i].pid = -1;
  struct sigaction ign;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  struct sigaction old_pipe;
  sigaction(SIGPIPE, &ign, &old_pipe);

  bool ok = true;
  for (int i = 0; i < p->n_workers && ok; i++) ok = spawn(p, i);
  if (!ok) fprintf(stderr, "test262: cannot start workers: %s\n", strerror(errno));
  p->last_progress = now_ms();
  struct pollfd *fds = calloc((size_t)p->n_workers, sizeof *fds);

  while (ok && !p->fatal && p->finished < n_tests) {
    for (int i = 0; i < p->n_workers; i++)
      if (p->workers[i].pid > 0 && !p->workers[i].busy) dispatch(p, &p->workers[i]);

    double now = now_ms();
    double limit = (double)cfg->timeout_ms + (double)cfg->hard_grace_ms;
    int wait = 1000;
    for (int i = 0; i < p->n_workers; i++) {
      Worker *w = &p->workers[i];
      fds[i].fd = w->pid > 0 ? w->res_fd : -1;
      fds[i].events = POLLIN;
      fds[i].revents = 0;
      if (w->pid > 0 && w->busy) {
        double left = w->variant_start + limit - now;
        if (left < wait) wait = left < 0 ? 0 : (int)left + 1;
      }
    }
    int r = poll(fds, (nfds_t)p->n_workers, wait);
    if (r < 0 && errno != EINTR) {
      fprintf(stderr, "test262: poll: %s\n", strerror(errno));
      ok = false;
      break;
    }
    for (int i = 0; i < p->n_workers; i++) {
      Worker *w = &p->workers[i];
      if (w->pid <= 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (w->buf_cap - w->buf_len < 4096) {
        size_t cap = w->buf_cap ? w->buf_cap * 2 : 16384;
        char *grown = realloc(w->buf, cap);
        if (!grown) {
          ok = false;
          break;
        }
        w->buf = grown;
        w->buf_cap = cap;
      }
      ssize_t got = read(w->res_fd, w->buf + w->buf_len, w->buf_cap - w->buf_len);
      if (got > 0) {
        w->buf_len += (size_t)got;
        consume(p, w);
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        reap(p, i);
      }
    }
    now = now_ms();
    for (int i = 0; i < p->n_workers; i++) {
      Worker *w = &p->workers[i];
      if (w->pid > 0 && w->busy && !w->killed && now - w->variant_start > limit) {
        w->killed = true;
        kill(w->pid, SIGKILL); /* its pipe reports EOF next round; reap() records it */
      }
    }
  }
  /* Closing the job pipes ends the workers. */
  for (int i = 0; i < p->n_workers; i++) {
    Worker *w = &p->workers[i];
    if (w->pid <= 0) continue;
    close(w->job_fd);
    if (p->fatal || !ok) kill(w->pid, SIGKILL);
  }
  for (int i = 0; i < p->n_workers; i++) {
    Worker *w = &p->workers[i];
    if (w->pid <= 0) continue;
    while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR) {
    }
    close(w->res_fd);
    free(w->buf);
  }
  sigaction(SIGPIPE, &old_pipe, NULL);
  free(fds);
  free(p->workers);
  free(p->retry);
  return ok && !p->fatal;
}

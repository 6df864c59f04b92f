/* binary-trees: allocate and walk many short-lived trees plus one long-lived
 * tree (allocation throughput). C uses a free-list pool, as C programs do. */
#define DEFAULT_N 16
#include "bench.h"

typedef struct Node { struct Node *left, *right; } Node;

static Node *free_nodes;

static Node *node_new(Node *l, Node *r) {
  Node *n = free_nodes;
  if (n)
    free_nodes = n->left;
  else
    n = bench_alloc(sizeof(Node));
  n->left = l;
  n->right = r;
  return n;
}

static void node_free(Node *n) {
  if (n->left) {
    node_free(n->left);
    node_free(n->right);
  }
  n->left = free_nodes;
  free_nodes = n;
}

static Node *make(int depth) {
  return depth == 0 ? node_new(0, 0) : node_new(make(depth - 1), make(depth - 1));
}

static int check(const Node *n) { return n->left ? 1 + check(n->left) + check(n->right) : 1; }

static uint32_t workload(int max_depth) {
  bench_arena_reset();
  free_nodes = 0;
  uint32_t acc = 0;
  Node *stretch = make(max_depth + 1);
  acc += (uint32_t)check(stretch);
  node_free(stretch);
  Node *long_lived = make(max_depth);
  for (int d = 4; d <= max_depth; d += 2) {
    int iterations = 1 << (max_depth - d + 4);
    uint32_t sum = 0;
    for (int i = 0; i < iterations; i++) {
      Node *t = make(d);
      sum += (uint32_t)check(t);
      node_free(t);
    }
    acc = acc * 31u + sum;
  }
  return acc * 31u + (uint32_t)check(long_lived);
}

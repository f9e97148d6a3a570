/** C sources for the check tests, each written to make one property visible (or absent). */

/** Fortifiable calls with sizes known only at run time, and a local array (canary). */
export const BUFFERS = `
#include <stdio.h>
#include <string.h>
#include <unistd.h>
volatile size_t limit = 64;
__attribute__((noinline)) int work(const char *src, int fd) {
  char buf[64];
  size_t n = limit; /* volatile: the compiler cannot prove the copies fit */
  memcpy(buf, src, n);
  buf[63] = 0;
  ssize_t got = read(fd, buf, n);
  printf("%s %ld\\n", buf, (long)got);
  return buf[0];
}
int main(int argc, char **argv) { return work(argv[0], argc); }
`;

/** The only fortifiable call is memcpy (which gcc often proves safe). */
export const ONLY_MEMCPY = `
#include <string.h>
volatile size_t limit = 16;
char dst[64];
int main(int argc, char **argv) {
  memcpy(dst, argv[0], limit);
  return dst[argc];
}
`;

/** One call gets a checked variant, one cannot (destination size unknown). */
export const PARTIAL = `
#include <stdio.h>
#include <string.h>
__attribute__((noinline)) int fmt(char *out, const char *src, int v) {
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%s-%d", src, v);
  strcpy(out, tmp);
  return out[1];
}
int main(int argc, char **argv) { static char out[64]; return fmt(out, argv[0], argc); }
`;

/** No libc function that fortify knows, no array, no big frame. */
export const TRIVIAL = `
int main(int argc, char **argv) { (void)argv; return argc > 3; }
`;

/** alloca and a 70000-byte frame: both need stack-clash probes. */
export const BIG_STACK = `
#include <alloca.h>
#include <stddef.h>
__attribute__((noinline)) int use_alloca(size_t n) {
  volatile char *p = alloca(n);
  for (size_t i = 0; i < n; i += 512) p[i] = 1;
  return p[0];
}
__attribute__((noinline)) int big_frame(int x) {
  volatile char b[70000];
  b[x] = 1;
  return b[x / 2];
}
int main(int argc, char **argv) { (void)argv; return use_alloca((size_t)argc * 1000) + big_frame(argc); }
`;

/** A global referenced from code: absolute relocations when built without -fPIC. */
export const GLOBAL_USER = `
int counter = 1;
int bump(int v) { counter += v; return counter; }
`;

/** A writable and executable section next to main. */
export const RWX = `
__asm__(".section .rwx_test,\\"awx\\"\\n\\t.globl rwx_word\\nrwx_word:\\n\\t.long 0\\n\\t.previous\\n");
int main(void) { return 0; }
`;

/** Assembly without a .note.GNU-stack section. */
export const ASM_NO_NOTE = `
  .text
  .globl f
f:
  ret
`;

/** One call through the PLT (puts), so lazy binding has something to bind. */
export const CALLS_PUTS = `
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
`;

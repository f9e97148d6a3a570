/**
 * C sources for the PIC audit, one idiom each: how code reaches globals (defined here or
 * elsewhere, of each visibility), calls, addresses in code and in data, string literals,
 * pointer tables, switch tables, thread-local variables, and objects that refer only to
 * themselves. Written for this project.
 */
export const PIC_SOURCES: Readonly<Record<string, string>> = {
  ext_read: 'extern int g;\nint f(void) { return g; }\n',
  def_read: 'int g = 1;\nint f(void) { return g; }\n',
  hidden_read: '__attribute__((visibility("hidden"))) int g = 1;\nint f(void) { return g; }\n',
  protected_read: '__attribute__((visibility("protected"))) int g = 1;\nint f(void) { return g; }\n',
  static_read: 'static int s = 1;\nint f(void) { return s++; }\n',
  weak_ref: 'extern int g __attribute__((weak));\nint f(void) { return &g ? g : 0; }\n',
  ext_call: 'extern void e(void);\nvoid f(void) { e(); e(); }\n',
  def_call: '__attribute__((noinline)) void g(void) { __asm__ volatile(""); }\nvoid f(void) { g(); g(); }\n',
  code_addr: 'extern int g;\nint *f(void) { return &g; }\n',
  func_addr: 'extern void e(void);\nvoid (*f(void))(void) { return e; }\n',
  data_addr: 'extern int g;\nextern void e(void);\nint *p = &g;\nvoid (*fp)(void) = e;\n',
  string: 'const char *f(void) { return "hello"; }\n',
  rodata_ptr: 'static const char *const tbl[] = { "a", "b", "c" };\nconst char *f(int i) { return tbl[i]; }\n',
  switch:
    'int f(int x) { switch (x) { case 0: return 11; case 1: return 22; case 2: return 35; case 3: return 47; case 4: return 51; case 5: return 69; case 6: return 71; default: return 0; } }\n' +
    'int h(int x, int y) { switch (x) { case 0: return y+1; case 1: return y*3; case 2: return y-7; case 3: return y^5; case 4: return y<<2; case 5: return y/9; case 6: return y%7; case 7: return y&3; default: return 0; } }\n',
  tls_ext: 'extern __thread int t;\nint f(void) { return t; }\n',
  tls_def: '__thread int t;\nint f(void) { return t; }\n',
  tls_static: 'static __thread int t;\nint f(void) { return ++t; }\n',
  // With -fexceptions: a personality routine and an LSDA, referred to from .eh_frame.
  cleanup:
    'extern void use(int *);\nstatic void done(int *p) { use(p); }\nint f(void) { int x __attribute__((cleanup(done))) = 1; use(&x); return x; }\n',
  locals_only: 'static int helper(int x) { return x * 3; }\nint f(int x) { return helper(x) + 1; }\n',
  nothing: 'int f(int x) { return x * 3; }\n',
};

/** Sources compiled with -fexceptions (so their unwind tables name a personality routine). */
export const EXCEPTION_SOURCES: ReadonlySet<string> = new Set(['cleanup']);

export const TLS_SOURCES: ReadonlySet<string> = new Set(['tls_ext', 'tls_def', 'tls_static']);

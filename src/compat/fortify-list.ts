/**
 * The functions Debian's hardening-check treats as fortifiable (devscripts 2.26.13): 78 names,
 * a snapshot of an old glibc. The drop-in keeps this exact list so that its verdicts match the
 * reference; the modern `fortify` check uses the current glibc list instead.
 */
export const REFERENCE_FORTIFIABLE: readonly string[] = Object.freeze(
  (
    'asprintf confstr dprintf fdelt fgets fgets_unlocked fgetws fgetws_unlocked fprintf fread ' +
    'fread_unlocked fwprintf getcwd getdomainname getgroups gethostname getlogin_r gets getwd longjmp ' +
    'mbsnrtowcs mbsrtowcs mbstowcs memcpy memmove mempcpy memset obstack_printf obstack_vprintf poll ' +
    'ppoll pread pread64 printf ptsname_r read readlink readlinkat realpath recv recvfrom snprintf ' +
    'sprintf stpcpy stpncpy strcat strcpy strncat strncpy swprintf syslog ttyname_r vasprintf vdprintf ' +
    'vfprintf vfwprintf vprintf vsnprintf vsprintf vswprintf vsyslog vwprintf wcpcpy wcpncpy wcrtomb ' +
    'wcscat wcscpy wcsncat wcsncpy wcsnrtombs wcsrtombs wcstombs wctomb wmemcpy wmemmove wmempcpy ' +
    'wmemset wprintf'
  ).split(' '),
);

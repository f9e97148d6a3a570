/** Help and manual text of the drop-in (our own words; the options are the reference's). */
export const USAGE = `Usage: hardening-check [options] [ELF ...]

Report which hardening features each ELF file (executable, shared library, object or
static archive) was built with; exit 1 when a feature is missing.

Options:
  -p, --nopie                report a missing PIE as ignored
  -s, --nostackprotector     report a missing stack protector as ignored
  -f, --nofortify            report missing FORTIFY_SOURCE functions as ignored
  -r, --norelro              report missing read-only relocations as ignored
  -b, --nobindnow            report missing immediate binding as ignored
  -x, --nocfprotection       report missing control-flow protection as ignored
  -B, --nobranchprotection   report missing branch protection as ignored
  -q, --quiet                print only failing checks of failing files
  -v, --verbose              list protected and unprotected functions
  -R, --report-functions     list every imported function after the report
  -F, --find-libc-functions  print the fortified functions of FILE's libc
  -c, --color                colour the verdicts
  -l, --lintian              print lintian tags (TAG:FILE) instead of the report
      --debug                print what was read from each file
  -h, --help                 this text
  -H, --man                  the manual
`;

export const MANUAL = `HARDENING-CHECK(1)

NAME
    hardening-check - report the hardening features of ELF binaries

SYNOPSIS
    hardening-check [options] [ELF ...]

DESCRIPTION
    For each file given, prints one line per hardening feature and whether the file has it.
    Everything is read from the file itself; no other program is run. Files are analysed in
    parallel and reported in the order given.

    Position Independent Executable
        The file is an ET_DYN executable (it has a PT_PHDR program header), so the kernel can
        load it at a random address. Shared libraries are position independent by nature and
        are reported as ignored; ET_EXEC executables fail.

    Stack protected
        The file imports __stack_chk_fail (objects and archives may import
        __stack_chk_fail_local instead): some function was compiled with -fstack-protector.

    Fortify Source functions
        The file imports the checked variants (__memcpy_chk...) of libc functions that
        -D_FORTIFY_SOURCE can protect. "yes" when only checked variants appear, "some protected
        functions found" when both appear, a failure when only unchecked ones appear.

    Read-only relocations
        The file has a PT_GNU_RELRO program header (-Wl,-z,relro).

    Immediate binding
        The dynamic section asks for immediate binding (DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW,
        from -Wl,-z,now).

    Stack clash protection
        The x86-64 code holds the stack probe loop that -fstack-clash-protection emits for
        variable-sized frames. Never a failure: the loop is only present when such a frame is.

    Control flow integrity
        A GNU property note marks the file as built for Intel CET (IBT and SHSTK,
        -fcf-protection).

    Branch Protection
        A GNU property note marks the file as built for AArch64 BTI and PAC
        (-mbranch-protection=standard).

OPTIONS
    -p --nopie, -s --nostackprotector, -f --nofortify, -r --norelro, -b --nobindnow,
    -x --nocfprotection, -B --nobranchprotection
        Print that check's failure followed by "(ignored)"; it no longer sets the exit status
        or produces a lintian tag.

    -q --quiet
        Print only the failing lines, and only for files with a failure that is not ignored.

    -v --verbose
        After the Fortify line, list the unprotected and the protected functions found.

    -R --report-functions
        After each report, print every imported function name, one a line.

    -F --find-libc-functions
        Find the C library FILE is linked with (through its DT_NEEDED entries and the
        standard library directories) and print each function that library can check, in
        the form used by the tool's own function table; exit 0.

    -c --color
        Colour the verdicts: green for good, yellow for unknown, red for bad.

    -l --lintian
        Print one TAG:FILE line per failure instead of the report. Failures then do not
        change the exit status.

    --debug
        Print what was read from each file.

    Options may be bundled (-qv), abbreviated (--verb) and negated (--no-color).

EXIT STATUS
    0 when every check passed or was ignored; 1 when a check failed or a file could not be
    read as ELF (its error goes to standard error); 2 on a bad option.
`;

/* Test-only, never shipped: Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's
 * standard library imports on Windows, so a Rust program exits at once under it. This stands in
 * for it with RtlGenRandom (advapi32's SystemFunction036), Windows' own generator. The smoke test
 * compiles it with mingw and puts it in the Wine prefix's system32; the installer never has it. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

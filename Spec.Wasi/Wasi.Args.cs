using System.Text;

namespace Spec.Wasi;

// args_get, args_sizes_get, environ_get, environ_sizes_get: NUL-terminated UTF-8 strings and a pointer to each.

public sealed partial class WasiHost
{
    Errno ArgsSizesGet(uint argc, uint bufSize) => SizesGet(options.Args, argc, bufSize);
    Errno ArgsGet(uint argv, uint buf) => StringsGet(options.Args, argv, buf);
    Errno EnvironSizesGet(uint count, uint bufSize) => SizesGet(options.Env, count, bufSize);
    Errno EnvironGet(uint environ, uint buf) => StringsGet(options.Env, environ, buf);

    Errno SizesGet(IReadOnlyList<string> strings, uint countPtr, uint sizePtr)
    {
        Mem.U32(countPtr, (uint)strings.Count);
        Mem.U32(sizePtr, (uint)strings.Sum(s => Encoding.UTF8.GetByteCount(s) + 1));
        return Errno.Success;
    }

    Errno StringsGet(IReadOnlyList<string> strings, uint ptrs, uint buf)
    {
        foreach (var s in strings)
        {
            var bytes = Encoding.UTF8.GetBytes(s + "\0");
            Mem.U32(ptrs, buf);
            bytes.CopyTo(Mem.Slice(buf, (uint)bytes.Length));
            ptrs += 4;
            buf += (uint)bytes.Length;
        }
        return Errno.Success;
    }
}

// Performance-critical: the decoder reads a span with an explicit cursor, imperatively.
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Spec.Syntax;

namespace Spec.BinaryFormat;

// §5.2 Types (spectec 5.2-binary.types).
internal ref partial struct Decoder
{
    // Babsheaptype: 0x69 EXN .. 0x74 NOEXN; null where the byte is no heap type.
    static readonly AbsHeap?[] AbsHeaps = BuildAbsHeaps();

    // The abbreviations (0x69..0x74 as a valtype) and REF NULL? ht, shared so decoding allocates nothing for them.
    static readonly RefType?[] NullableRefs = BuildRefs(true);
    static readonly RefType?[] NonNullRefs = BuildRefs(false);

    static AbsHeap?[] BuildAbsHeaps()
    {
        var t = new AbsHeap?[0x80];
        t[0x69] = Syntax.HeapType.Exn; t[0x6A] = Syntax.HeapType.Array; t[0x6B] = Syntax.HeapType.Struct; t[0x6C] = Syntax.HeapType.I31;
        t[0x6D] = Syntax.HeapType.Eq; t[0x6E] = Syntax.HeapType.Any; t[0x6F] = Syntax.HeapType.Extern; t[0x70] = Syntax.HeapType.Func;
        t[0x71] = Syntax.HeapType.None; t[0x72] = Syntax.HeapType.NoExtern; t[0x73] = Syntax.HeapType.NoFunc; t[0x74] = Syntax.HeapType.NoExn;
        return t;
    }

    static RefType?[] BuildRefs(bool nullable)
    {
        var t = new RefType?[0x80];
        for (int i = 0; i < t.Length; i++)
            if (AbsHeaps[i] is { } ht) t[i] = new RefType(nullable, ht);
        return t;
    }

    // Bheaptype: an abstract heap type (a one-byte negative s33), 0x62 and a type index (an exact heap type,
    // custom descriptors proposal), or a non-negative s33 type index.
    internal HeapType HeapType()
    {
        int at = _p;
        int b = Peek();
        if (b == Opcodes.Exact && _st.Features.CustomDescriptors)
        {
            _p++;
            return new ExactHeap(TypeIndex33());
        }
        if (b is >= 0x40 and < 0x80)
        {
            _p++;
            return AbsHeaps[b] ?? throw Error("malformed heap type", at);
        }
        return TypeIndex33();
    }

    // A type index read as a non-negative s33, as the heap type's own index is: the exact prefix's index is read
    // the same way, so that 0x62 0x62 (a repeated prefix) is malformed rather than the index 98.
    TypeIdx TypeIndex33()
    {
        int at = _p;
        long x = S33();
        if (x < 0) throw Error("malformed heap type", at);
        return new TypeIdx((uint)x);
    }

    // Breftype
    internal RefType RefType()
    {
        int at = _p;
        byte b = TypeByte();
        return b switch
        {
            0x63 => Ref(true, HeapType()),
            0x64 => Ref(false, HeapType()),
            _ => NullableRefs[b] ?? throw Error("malformed reference type", at),
        };
    }

    static RefType Ref(bool nullable, HeapType ht) =>
        ht is AbsHeap a ? (nullable ? NullableRefs : NonNullRefs)[Abbrev(a)]! : new RefType(nullable, ht);

    static int Abbrev(AbsHeap a) => a.Type switch
    {
        AbsHeapType.Exn => 0x69, AbsHeapType.Array => 0x6A, AbsHeapType.Struct => 0x6B, AbsHeapType.I31 => 0x6C,
        AbsHeapType.Eq => 0x6D, AbsHeapType.Any => 0x6E, AbsHeapType.Extern => 0x6F, AbsHeapType.Func => 0x70,
        AbsHeapType.None => 0x71, AbsHeapType.NoExtern => 0x72, AbsHeapType.NoFunc => 0x73, _ => 0x74,
    };

    // Bvaltype: Bnumtype | Bvectype | Breftype
    internal ValType ValType()
    {
        int b = Peek();
        switch (b)
        {
            case 0x7F: _p++; return Syntax.ValType.I32;
            case 0x7E: _p++; return Syntax.ValType.I64;
            case 0x7D: _p++; return Syntax.ValType.F32;
            case 0x7C: _p++; return Syntax.ValType.F64;
            case 0x7B: _p++; return Syntax.ValType.V128;
            case 0x63 or 0x64: return RefType();
            case >= 0 and < 0x80 when NullableRefs[b] is { } rt: _p++; return rt;
            default:
                int at = _p;
                TypeByte();
                throw Error("malformed value type", at);
        }
    }

    // Bresulttype
    internal ImmutableArray<ValType> ResultType()
    {
        uint n = Count();
        if (n == 0) return [];
        var ts = Alloc<ValType>(n);
        for (uint i = 0; i < n; i++) ts[i] = ValType();
        return ImmutableCollectionsMarshal.AsImmutableArray(ts);
    }

    // Bmut
    internal Mut Mut()
    {
        int at = _p;
        return Byte() switch
        {
            0x00 => Syntax.Mut.Const,
            0x01 => Syntax.Mut.Var,
            _ => throw Error("malformed mutability", at),
        };
    }

    // Bstoragetype: Bvaltype | Bpacktype. Bytes that are neither, or a value type malformed further in, are a
    // malformed storage type as a whole (the testsuite's message for a bad exact prefix in a field).
    StorageType StorageType()
    {
        int at = _p;
        switch (Peek())
        {
            case 0x77: _p++; return new PackedType(PackType.I16);
            case 0x78: _p++; return new PackedType(PackType.I8);
            default:
                try { return ValType(); }
                catch (DecodeException e) when (e.Reason.StartsWith("malformed", StringComparison.Ordinal))
                {
                    throw Error("malformed storage type", at);
                }
        }
    }

    // Bfieldtype
    FieldType FieldType()
    {
        var zt = StorageType();
        return new FieldType(Mut(), zt);
    }

    // Bcomptype
    CompType CompType()
    {
        int at = _p;
        switch (TypeByte())
        {
            case 0x5E: return new ArrayType(FieldType());
            case 0x5F:
            {
                uint n = Count();
                var fs = Alloc<FieldType>(n);
                for (uint i = 0; i < n; i++) fs[i] = FieldType();
                return new StructType(ImmutableCollectionsMarshal.AsImmutableArray(fs));
            }
            case 0x60:
            {
                var t1 = ResultType();
                var t2 = ResultType();
                return new FuncType(t1, t2);
            }
            // The reference decoder's message, also where a describes or descriptor clause is repeated or out of order.
            default: throw Error("malformed definition type", at);
        }
    }

    // Bsubtype
    SubType SubType()
    {
        switch (Peek())
        {
            case 0x4F: _p++; return SubWithSupers(true);
            case 0x50: _p++; return SubWithSupers(false);
            default:
            {
                var (describes, descriptor, ct) = DescType();
                return new SubType(true, [], ct, describes, descriptor);
            }
        }
    }

    SubType SubWithSupers(bool final)
    {
        uint n = Count();
        var xs = Alloc<TypeUse>(n);
        for (uint i = 0; i < n; i++) xs[i] = new TypeIdx(U32());
        var (describes, descriptor, ct) = DescType();
        return new SubType(final, ImmutableCollectionsMarshal.AsImmutableArray(xs), ct, describes, descriptor);
    }

    // Bdesctype (custom descriptors proposal): Bdescribestype? Bdescriptortype? Bcomptype, where
    // Bdescribestype is 0x4C typeidx and Bdescriptortype 0x4D typeidx, in that order and each at most once.
    (TypeUse? Describes, TypeUse? Descriptor, CompType Comp) DescType()
    {
        TypeUse? describes = null, descriptor = null;
        if (_st.Features.CustomDescriptors)
        {
            if (Peek() == 0x4C) { _p++; describes = new TypeIdx(U32()); }
            if (Peek() == 0x4D) { _p++; descriptor = new TypeIdx(U32()); }
        }
        return (describes, descriptor, CompType());
    }

    // Brectype
    internal RecType RecType()
    {
        if (Peek() != 0x4E) return new RecType([SubType()]);
        _p++;
        uint n = Count();
        var sts = Alloc<SubType>(n);
        for (uint i = 0; i < n; i++) sts[i] = SubType();
        return new RecType(ImmutableCollectionsMarshal.AsImmutableArray(sts));
    }

    // Blimits: the flags byte says whether a maximum follows and which address type it is.
    (AddrType, Limits) Limits() => Limits(out _, sharable: false);

    // Blimits with the threads proposal's flag bit 1 (shared), which only memory types may carry.
    (AddrType, Limits) Limits(out bool shared, bool sharable)
    {
        int at = _p;
        byte flags = Byte();
        shared = sharable && _st.Features.Threads && (flags & 0x02) != 0;
        if (shared) flags &= 0xFD;
        return flags switch
        {
            0x00 => (AddrType.I32, new Limits(U64(), null)),
            0x01 => (AddrType.I32, new Limits(U64(), U64())),
            0x04 => (AddrType.I64, new Limits(U64(), null)),
            0x05 => (AddrType.I64, new Limits(U64(), U64())),
            _ => throw Error("malformed limits flags", at),
        };
    }

    // Btagtype
    TypeUse TagType()
    {
        int at = _p;
        if (Byte() != 0x00) throw Error("zero byte expected", at);
        return new TypeIdx(U32());
    }

    // Bglobaltype
    GlobalType GlobalType()
    {
        var t = ValType();
        return new GlobalType(Mut(), t);
    }

    // Bmemtype
    MemType MemType()
    {
        var (at, lim) = Limits(out bool shared, sharable: true);
        return new MemType(at, lim, shared);
    }

    // Btabletype
    TableType TableType()
    {
        var rt = RefType();
        var (at, lim) = Limits();
        return new TableType(at, lim, rt);
    }

    // Bexterntype
    ExternType ExternType()
    {
        int at = _p;
        return Byte() switch
        {
            0x00 => new FuncExtern(new TypeIdx(U32())),
            0x20 when _st.Features.CustomDescriptors => new FuncExtern(new TypeIdx(U32()), Exact: true),             // custom descriptors proposal
            0x01 => new TableExtern(TableType()),
            0x02 => new MemExtern(MemType()),
            0x03 => new GlobalExtern(GlobalType()),
            0x04 => new TagExtern(TagType()),
            _ => throw Error("malformed import kind", at),
        };
    }
}

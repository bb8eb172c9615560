using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Cli.Fuzz;

// Reference code: function references and tables, GC structs, arrays and i31 with casts and the branches on them,
// exceptions, bulk memory. References live inside functions (in locals and on the stack); what functions return is
// always numbers taken from them.
internal sealed partial class ModuleGenerator
{
    // The GC types, first in the type section: $S (open) and its subtype $S2, arrays of i8, i32 and funcref.
    const uint S = 0, S2 = 1, A8 = 2, A32 = 3, AF = 4;

    static readonly ImmutableArray<FieldType> SFields =
    [
        new(Mut.Var, ValType.I32), new(Mut.Var, new PackedType(PackType.I8)), new(Mut.Var, new PackedType(PackType.I16)),
        new(Mut.Var, ValType.I64), new(Mut.Var, ValType.F64),
    ];

    static readonly ImmutableArray<TypeDef> GcTypes =
    [
        new(new RecType([new SubType(false, [], new StructType(SFields))])),
        new(new RecType([new SubType(true, [new TypeIdx(S)], new StructType([.. SFields, new(Mut.Var, ValType.F32)]))])),
        new(new RecType([SubType.Plain(new ArrayType(new FieldType(Mut.Var, new PackedType(PackType.I8))))])),
        new(new RecType([SubType.Plain(new ArrayType(new FieldType(Mut.Var, ValType.I32)))])),
        new(new RecType([SubType.Plain(new ArrayType(new FieldType(Mut.Var, RefType.FuncRef)))])),
    ];

    static RefType Ref(uint type, bool nullable = true) => new(nullable, new TypeIdx(type));

    static readonly RefType StructRef = Ref(S), Array32Ref = Ref(A32);

    /// <summary>The function's local of type (ref null $S), and of (ref null $A32).</summary>
    int structLocal, arrayLocal;

    /// <summary>A number of type <paramref name="t"/> computed from references or exceptions, if the features allow one.</summary>
    bool References(List<Instr> code, NumType t, int depth)
    {
        var options = new List<Action>();
        int d = depth + 1;
        if (t == NumType.I32)
        {
            if (on.ReferenceTypes)
            {
                options.Add(() => { FuncRefExpr(code, d); code.Add(RefIsNull.I); });
                options.Add(() => code.Add(new TableSize(1)));
                options.Add(() => { FuncRefExpr(code, d); Count(code, NumType.I32, 3); code.Add(new TableGrow(1)); });
            }
            if (on.FunctionReferences)
            {
                options.Add(() => BrOnNull(code, d));
                options.Add(() => BrOnNonNull(code, d));
                options.Add(() => { FuncRefExpr(code, d); code.Add(RefAsNonNull.I); code.Add(RefIsNull.I); });
            }
            if (on.Gc)
            {
                options.Add(() => { StructExpr(code, d); code.Add(Chance(20) ? new StructGet(null, S, 0) : new StructGet(Pick(new[] { Sx.S, Sx.U }), S, (uint)rng.Next(1, 3))); });
                options.Add(() => { Array32Expr(code, d); Count(code, NumType.I32, Chance(90) ? 7 : 31); code.Add(new ArrayGet(null, A32)); });
                options.Add(() => { Array8Expr(code, d); Count(code, NumType.I32, 7); code.Add(new ArrayGet(Pick(new[] { Sx.S, Sx.U }), A8)); });
                options.Add(() => { AnyArray(code, d); code.Add(ArrayLen.I); });
                options.Add(() => { Value(code, NumType.I32, d); code.Add(RefI31.I); code.Add(new I31Get(Pick(new[] { Sx.S, Sx.U }))); });
                options.Add(() => { AnyExpr(code, d); code.Add(new RefTest(new RefType(Chance(50), Pick(TestTargets)))); });
                options.Add(() => { AnyExpr(code, d); code.Add(new RefCast(new RefType(Chance(30), HeapType.I31))); code.Add(new I31Get(Pick(new[] { Sx.S, Sx.U }))); });
                options.Add(() => RefEq(code, d));
                options.Add(() => BrOnCast(code, d));
                options.Add(() => BrOnCastFail(code, d));
                options.Add(() => { StructExpr(code, d); code.Add(RefAsNonNull.I); code.Add(new StructGet(null, S, 0)); });
            }
            if (on.Exceptions)
            {
                options.Add(() => Catch(code, d));
                options.Add(() => Rethrow(code, d));
            }
        }
        else if (on.Gc)
        {
            if (t == NumType.I64) options.Add(() => { StructExpr(code, d); code.Add(new StructGet(null, S, 3)); });
            if (t == NumType.F64) options.Add(() => { StructExpr(code, d); code.Add(new StructGet(null, S, 4)); });
            if (t == NumType.F32) options.Add(() => { S2Expr(code, d); code.Add(new StructGet(null, S2, 5)); });
        }
        if (options.Count == 0) return false;
        Pick(options)();
        return true;
    }

    static readonly HeapType[] TestTargets =
        [new TypeIdx(S), new TypeIdx(S2), new TypeIdx(A8), new TypeIdx(A32), HeapType.I31, HeapType.Struct, HeapType.Array, HeapType.Eq, HeapType.None, HeapType.Any];

    // ---- Function references and tables ----

    /// <summary>A funcref: ref.func, ref.null, an entry of table 1 (maybe out of bounds), an element of a funcref array.</summary>
    void FuncRefExpr(List<Instr> code, int depth)
    {
        switch (rng.Next(on.Gc ? 5 : 4))
        {
            case 0:
            case 1: code.Add(new RefFunc((uint)rng.Next(funcCount))); break;
            case 2: code.Add(new RefNull(HeapType.Func)); break;
            case 3:
                Count(code, NumType.I32, Chance(90) ? 3 : 15);
                code.Add(new TableGet(1));
                break;
            default:
                ArrayFExpr(code, depth + 1);
                Count(code, NumType.I32, 7);
                code.Add(new ArrayGet(null, AF));
                break;
        }
    }

    /// <summary>block (result i32) (block (funcref; br_on_null 0; drop; i32; br 1); i32)</summary>
    void BrOnNull(List<Instr> code, int depth)
    {
        var inner = new List<Instr>();
        FuncRefExpr(inner, depth);
        inner.Add(new BrOnNull(0));
        inner.Add(Drop.I);
        Value(inner, NumType.I32, depth + 1);
        inner.Add(new Br(1));
        var outer = new List<Instr> { new Block(new ValBlockType(null), [.. inner]) };
        Value(outer, NumType.I32, depth + 1);
        code.Add(new Block(new ValBlockType(ValType.I32), [.. outer]));
    }

    /// <summary>block (result i32) (block (result (ref func)) (funcref; br_on_non_null 0; i32; br 1); drop; i32)</summary>
    void BrOnNonNull(List<Instr> code, int depth)
    {
        var inner = new List<Instr>();
        FuncRefExpr(inner, depth);
        inner.Add(new BrOnNonNull(0));
        Value(inner, NumType.I32, depth + 1);
        inner.Add(new Br(1));
        var outer = new List<Instr> { new Block(new ValBlockType(new RefType(false, HeapType.Func)), [.. inner]), Drop.I };
        Value(outer, NumType.I32, depth + 1);
        code.Add(new Block(new ValBlockType(ValType.I32), [.. outer]));
    }

    /// <summary>A statement on table 1 (which is never called through): set, fill, copy (from table 0 too), init, elem.drop.</summary>
    void TableStatement(List<Instr> code)
    {
        const int d = StatementValueDepth;
        switch (rng.Next(9))
        {
            case 0:
            case 1:
                Count(code, NumType.I32, Chance(90) ? 3 : 15);
                FuncRefExpr(code, d);
                code.Add(new TableSet(1));
                break;
            case 2:
            case 3:
                Count(code, NumType.I32, 3);
                FuncRefExpr(code, d);
                Count(code, NumType.I32, 3);
                code.Add(new TableFill(1));
                break;
            case 4:
            case 5:
                Count(code, NumType.I32, 3);
                Count(code, NumType.I32, 3);
                Count(code, NumType.I32, 3);
                code.Add(new TableCopy(1, (uint)rng.Next(2)));
                break;
            case 8:
                code.Add(new ElemDrop(1));
                break;
            default:
                Count(code, NumType.I32, 3);
                Count(code, NumType.I32, 7);
                Count(code, NumType.I32, 3);
                code.Add(new TableInit(1, 1));
                break;
        }
    }

    // ---- Bulk memory ----

    void BulkMemory(List<Instr> code)
    {
        const int d = StatementValueDepth;
        uint mem = PickMem();
        var at = mems[(int)mem] == AddrType.I64 ? NumType.I64 : NumType.I32;
        switch (rng.Next(7))
        {
            case 0:
            case 1:
                Address(code, d, mem);
                Value(code, NumType.I32, d);
                Count(code, at, 0xff);
                code.Add(new MemoryFill(mem));
                break;
            case 2:
            case 3:
            {
                uint src = PickMem();
                Address(code, d, mem);
                Address(code, d, src);
                Count(code, at == NumType.I64 && mems[(int)src] == AddrType.I64 ? NumType.I64 : NumType.I32, 0xff);
                code.Add(new MemoryCopy(mem, src));
                break;
            }
            case 6:
                code.Add(new DataDrop(1));
                break;
            default:
                Address(code, d, mem);
                Count(code, NumType.I32, 31);
                Count(code, NumType.I32, 31);
                code.Add(new MemoryInit(mem, 1));
                break;
        }
    }

    // ---- GC ----

    /// <summary>A (ref null $S): new (of $S or $S2), new_default, the function's local, null, or a cast of anything.</summary>
    void StructExpr(List<Instr> code, int depth)
    {
        if (depth >= MaxDepth + 2) { code.Add(new StructNewDefault(S)); return; }
        switch (rng.Next(8))
        {
            case 0:
            case 1:
                StructFields(code, depth);
                code.Add(new StructNew(S));
                break;
            case 2: code.Add(new StructNewDefault(S)); break;
            case 3:
                StructFields(code, depth);
                Value(code, NumType.F32, depth + 1);
                code.Add(new StructNew(S2));
                break;
            case 4:
            case 5: code.Add(new LocalGet((uint)structLocal)); break;
            case 6:
                if (Chance(70)) goto case 2;
                code.Add(new RefNull(new TypeIdx(S)));
                break;
            default:
                AnyExpr(code, depth + 1);
                code.Add(new RefCast(Ref(S, Chance(50))));
                break;
        }
    }

    void StructFields(List<Instr> code, int depth)
    {
        Value(code, NumType.I32, depth + 1);
        Value(code, NumType.I32, depth + 1);
        Value(code, NumType.I32, depth + 1);
        Value(code, NumType.I64, depth + 1);
        Value(code, NumType.F64, depth + 1);
    }

    /// <summary>A (ref $S2): new, or a struct cast down (which may fail).</summary>
    void S2Expr(List<Instr> code, int depth)
    {
        if (Chance(50))
        {
            StructFields(code, depth);
            Value(code, NumType.F32, depth + 1);
            code.Add(new StructNew(S2));
        }
        else
        {
            StructExpr(code, depth + 1);
            code.Add(new RefCast(Ref(S2, false)));
        }
    }

    void Array32Expr(List<Instr> code, int depth)
    {
        if (depth >= MaxDepth + 2) { code.Add(new ArrayNewFixed(A32, 0)); return; }
        switch (rng.Next(5))
        {
            case 0:
                Value(code, NumType.I32, depth + 1);
                Count(code, NumType.I32, 15);
                code.Add(new ArrayNew(A32));
                break;
            case 1:
                Count(code, NumType.I32, 15);
                code.Add(new ArrayNewDefault(A32));
                break;
            case 2:
            {
                int n = rng.Next(0, 5);
                for (int k = 0; k < n; k++) Value(code, NumType.I32, depth + 1);
                code.Add(new ArrayNewFixed(A32, (uint)n));
                break;
            }
            default:
                code.Add(new LocalGet((uint)arrayLocal));
                break;
        }
    }

    void Array8Expr(List<Instr> code, int depth)
    {
        switch (rng.Next(3))
        {
            case 0:
                Value(code, NumType.I32, depth + 1);
                Count(code, NumType.I32, 15);
                code.Add(new ArrayNew(A8));
                break;
            case 1:
                Count(code, NumType.I32, 15);
                code.Add(new ArrayNewDefault(A8));
                break;
            default:
                // bytes of the passive data segment (dropped or too short: a trap)
                Count(code, NumType.I32, 31);
                Count(code, NumType.I32, 15);
                code.Add(new ArrayNewData(A8, 1));
                break;
        }
    }

    void ArrayFExpr(List<Instr> code, int depth)
    {
        if (depth >= MaxDepth + 2 || Chance(60))
        {
            // the passive element segment's references
            Count(code, NumType.I32, 7);
            Count(code, NumType.I32, 7);
            code.Add(new ArrayNewElem(AF, 1));
        }
        else
        {
            int n = rng.Next(0, 4);
            for (int k = 0; k < n; k++) FuncRefExpr(code, depth + 1);
            code.Add(new ArrayNewFixed(AF, (uint)n));
        }
    }

    void AnyArray(List<Instr> code, int depth)
    {
        switch (rng.Next(3))
        {
            case 0: Array32Expr(code, depth); break;
            case 1: Array8Expr(code, depth); break;
            default: ArrayFExpr(code, depth); break;
        }
    }

    /// <summary>An anyref: a struct, an array, an i31, null, or an anyref through externref and back.</summary>
    void AnyExpr(List<Instr> code, int depth)
    {
        switch (depth >= MaxDepth + 2 ? 3 : rng.Next(6))
        {
            case 0: StructExpr(code, depth + 1); break;
            case 1: AnyArray(code, depth + 1); break;
            case 2:
                Value(code, NumType.I32, depth + 1);
                code.Add(RefI31.I);
                break;
            case 3: code.Add(new RefNull(HeapType.None)); break;
            case 4:
                AnyExpr(code, depth + 1);
                code.Add(ExternConvertAny.I);
                code.Add(AnyConvertExtern.I);
                break;
            default: StructExpr(code, depth + 1); break;
        }
    }

    /// <summary>ref.eq of two eqrefs, often the same local twice.</summary>
    void RefEq(List<Instr> code, int depth)
    {
        if (Chance(30)) code.AddRange([new LocalGet((uint)structLocal), new LocalGet((uint)structLocal)]);
        else
            for (int k = 0; k < 2; k++)
                switch (rng.Next(4))
                {
                    case 0: StructExpr(code, depth + 1); break;
                    case 1: Array32Expr(code, depth + 1); break;
                    case 2:
                        Value(code, NumType.I32, depth + 1);
                        code.Add(RefI31.I);
                        break;
                    default: code.Add(new LocalGet((uint)structLocal)); break;
                }
        code.Add(Spec.Syntax.RefEq.I);
    }

    /// <summary>block (result i32) (block (result (ref T)) (anyref; br_on_cast 0 anyref (ref T); drop; i32; br 1); an i32 of T)</summary>
    void BrOnCast(List<Instr> code, int depth)
    {
        var (target, use) = Pick(new (HeapType, Instr[])[]
        {
            (new TypeIdx(S2), [new StructGet(null, S2, 0)]), (HeapType.I31, [new I31Get(Sx.S)]), (new TypeIdx(A32), [ArrayLen.I]),
            (HeapType.Struct, [Drop.I, Const.I32(7)]),
        });
        var to = new RefType(false, target);
        var inner = new List<Instr>();
        AnyExpr(inner, depth);
        inner.Add(new BrOnCast(0, RefType.AnyRef, to));
        inner.Add(Drop.I);
        Value(inner, NumType.I32, depth + 1);
        inner.Add(new Br(1));
        code.Add(new Block(new ValBlockType(ValType.I32), [new Block(new ValBlockType(to), [.. inner]), .. use]));
    }

    /// <summary>block (result i32) (block (result anyref) (anyref; br_on_cast_fail 0 anyref (ref $S); struct.get; br 1); ref.is_null)</summary>
    void BrOnCastFail(List<Instr> code, int depth)
    {
        var inner = new List<Instr>();
        AnyExpr(inner, depth);
        inner.Add(new BrOnCastFail(0, RefType.AnyRef, Ref(S, Chance(30))));
        inner.Add(new StructGet(null, S, 0));
        inner.Add(new Br(1));
        code.Add(new Block(new ValBlockType(ValType.I32), [new Block(new ValBlockType(RefType.AnyRef), [.. inner]), RefIsNull.I]));
    }

    /// <summary>A statement on GC values: a local set to a new value, struct.set, array.set, fill, copy, init_data, init_elem.</summary>
    void GcStatement(List<Instr> code)
    {
        const int d = StatementValueDepth;
        switch (rng.Next(9))
        {
            case 0:
                StructExpr(code, d);
                code.Add(new LocalSet((uint)structLocal));
                break;
            case 1:
                Array32Expr(code, d);
                code.Add(new LocalSet((uint)arrayLocal));
                break;
            case 2:
            {
                int field = rng.Next(SFields.Length);
                StructExpr(code, d);
                Value(code, field switch { 3 => NumType.I64, 4 => NumType.F64, _ => NumType.I32 }, d);
                code.Add(new StructSet(S, (uint)field));
                break;
            }
            case 3:
                Array32Expr(code, d);
                Count(code, NumType.I32, Chance(90) ? 7 : 31);
                Value(code, NumType.I32, d);
                code.Add(new ArraySet(A32));
                break;
            case 4:
                Array32Expr(code, d);
                Count(code, NumType.I32, 7);
                Value(code, NumType.I32, d);
                Count(code, NumType.I32, 7);
                code.Add(new ArrayFill(A32));
                break;
            case 5:
            {
                bool bytes = Chance(40);
                for (int k = 0; k < 2; k++)
                {
                    if (bytes) Array8Expr(code, d); else Array32Expr(code, d);
                    Count(code, NumType.I32, 7);
                }
                Count(code, NumType.I32, 7);
                code.Add(new ArrayCopy(bytes ? A8 : A32, bytes ? A8 : A32));
                break;
            }
            case 6:
                Array8Expr(code, d);
                Count(code, NumType.I32, 7);
                Count(code, NumType.I32, 15);
                Count(code, NumType.I32, 7);
                code.Add(new ArrayInitData(A8, 1));
                break;
            default:
                ArrayFExpr(code, d);
                Count(code, NumType.I32, 3);
                Count(code, NumType.I32, 7);
                Count(code, NumType.I32, 3);
                code.Add(new ArrayInitElem(AF, 1));
                break;
        }
    }

    // ---- Exceptions: every throw happens inside a try_table that catches it ----

    /// <summary>Code that may throw tag 0 (with an i32) or tag 1, leaving an i32 when it does not.</summary>
    List<Instr> Throwing(int depth)
    {
        var body = new List<Instr>();
        if (Chance(40)) body.AddRange(Statements(1));
        Value(body, NumType.I32, depth + 1);
        Value(body, NumType.I32, depth + 1);
        var then = new List<Instr>();
        if (Chance(75))
        {
            Value(then, NumType.I32, depth + 1);
            then.Add(new Throw(0));
        }
        else then.Add(new Throw(1));
        body.Add(new If(new ValBlockType(null), [.. then], []));
        return body;
    }

    /// <summary>block (result i32) (block (try_table (result i32) (catch 0 1) (catch_all 0) ...; br 1); i32)</summary>
    void Catch(List<Instr> code, int depth)
    {
        var tryTable = new TryTable(new ValBlockType(ValType.I32), [new CatchTag(0, 1), new CatchAll(0)], [.. Throwing(depth)]);
        var outer = new List<Instr> { new Block(new ValBlockType(null), [tryTable, new Br(1)]) };
        Value(outer, NumType.I32, depth + 1);
        code.Add(new Block(new ValBlockType(ValType.I32), [.. outer]));
    }

    /// <summary>An exception caught with its exnref (catch_ref or catch_all_ref) and thrown again by throw_ref, to an
    /// outer try_table's catch_all.</summary>
    void Rethrow(List<Instr> code, int depth)
    {
        bool all = Chance(40);
        var handlerType = all ? new ValBlockType(RefType.ExnRef) : (BlockType)new IdxBlockType(TypeIndex(new FuncType([], [ValType.I32, RefType.ExnRef])));
        var inner = new TryTable(new ValBlockType(ValType.I32), [all ? new CatchAllRef(0) : new CatchTagRef(0, 0)], [.. Throwing(depth)]);
        var handler = new Block(handlerType, [inner, new Br(3)]);
        var outerTry = new TryTable(new ValBlockType(null), [new CatchAll(0)], [handler, ThrowRef.I]);
        var done = new List<Instr> { new Block(new ValBlockType(null), [outerTry]) };
        Value(done, NumType.I32, depth + 1);
        code.Add(new Block(new ValBlockType(ValType.I32), [.. done]));
    }
}

using System.Collections.Immutable;
using NUnit.Framework;
using Spec.Syntax;
using Spec.Validation;

namespace Spec.Validation.Tests;

/// <summary>Small builders for modules written directly in the abstract syntax.</summary>
static class Build
{
    public static readonly ValType I32 = ValType.I32, I64 = ValType.I64, F32 = ValType.F32, F64 = ValType.F64, Vec = ValType.V128;

    public static TypeDef FuncT(ValType[] ps, ValType[] rs) => new(new RecType([SubType.Plain(new FuncType([.. ps], [.. rs]))]));
    public static TypeDef Sub(SubType st) => new(new RecType([st]));
    public static TypeDef Rec(params SubType[] sts) => new(new RecType([.. sts]));
    public static SubType Struct(params FieldType[] fs) => SubType.Plain(new StructType([.. fs]));
    public static SubType Array(FieldType f) => SubType.Plain(new ArrayType(f));
    public static SubType Fn(ValType[] ps, ValType[] rs) => SubType.Plain(new FuncType([.. ps], [.. rs]));
    public static SubType Open(SubType st, params uint[] supers) => new(false, [.. supers.Select(s => (TypeUse)new TypeIdx(s))], st.Comp);
    public static FieldType Var(StorageType t) => new(Mut.Var, t);
    public static FieldType Imm(StorageType t) => new(Mut.Const, t);
    public static RefType Ref(uint x, bool nullable = true) => new(nullable, new TypeIdx(x));

    /// <summary>A module with one function of type <paramref name="ps"/> -> <paramref name="rs"/> (type 0) and the given body.</summary>
    public static Module Func(ValType[] ps, ValType[] rs, params Instr[] body) => Func(ps, rs, [], body);

    public static Module Func(ValType[] ps, ValType[] rs, ValType[] locals, params Instr[] body) => Module.Empty with
    {
        Types = [FuncT(ps, rs)],
        Funcs = [new Func(0, [.. locals.Select(t => new Local(t))], new Expr([.. body]))],
    };

    /// <summary>Adds a function of a new type to <paramref name="m"/>.</summary>
    public static Module WithFunc(this Module m, ValType[] ps, ValType[] rs, params Instr[] body)
    {
        var x = (uint)m.Types.Length;
        return m with { Types = m.Types.Add(FuncT(ps, rs)), Funcs = m.Funcs.Add(new Func(x, [], new Expr([.. body]))) };
    }

    public static ModuleType Valid(Module m, Features? features = null)
    {
        try { return Validator.Validate(m, features ?? Features.All); }
        catch (ValidationException e) { Assert.Fail($"expected valid, got {e.Rule}: {e.Message}"); throw; }
    }

    public static ValidationException Invalid(Module m, string reason, string? rule = null, Features? features = null)
    {
        var e = Assert.Throws<ValidationException>(() => Validator.Validate(m, features ?? Features.All))!;
        Assert.That(e.Reason, Does.StartWith(reason), e.Message);
        Assert.That(e.Phase, Is.EqualTo(Phase.Validate));
        if (rule is not null) Assert.That(e.Rule, Is.EqualTo(rule));
        return e;
    }

    public static Instr I(int v) => Const.I32(v);
    public static Instr L(long v) => Const.I64(v);
}

using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Validation.Tests;

public class FeaturesTests
{
    static readonly Features Old = new(MultiMemory: false, MultiTable: false, Memory64: false);

    static Mem M(AddrType at = AddrType.I32) => new(new MemType(at, new Limits(0, null)));
    static Table T(AddrType at = AddrType.I32) => new(new TableType(at, new Limits(0, null), RefType.FuncRef), new Expr([new RefNull(HeapType.Func)]));
    static Import Imp(ExternType t) => new("m", "x", t);

    static string Rejects(Module m, Features f) => Assert.Throws<ValidationException>(() => Validator.Validate(m, f))!.Reason;

    [Test]
    public void Two_memories_need_multi_memory_imported_or_defined()
    {
        var defined = Module.Empty with { Mems = [M(), M()] };
        var mixed = Module.Empty with { Imports = [Imp(new MemExtern(M().Type))], Mems = [M()] };
        Validator.Validate(defined);
        Validator.Validate(mixed, Features.Default);
        Assert.That(Rejects(defined, Old), Is.EqualTo("multiple memories"));
        Assert.That(Rejects(mixed, Old with { MultiTable = true, Memory64 = true }), Is.EqualTo("multiple memories"));
        Validator.Validate(Module.Empty with { Mems = [M()] }, Old);
    }

    [Test]
    public void Two_tables_need_multi_table()
    {
        var twoImported = Module.Empty with { Imports = [Imp(new TableExtern(T().Type)), Imp(new TableExtern(T().Type))] };
        Validator.Validate(twoImported);
        Assert.That(Rejects(twoImported, Old), Is.EqualTo("multiple tables"));
        Validator.Validate(twoImported, Old with { MultiTable = true });
        Validator.Validate(Module.Empty with { Tables = [T()] }, Old);
    }

    [Test]
    public void An_i64_address_type_needs_memory64()
    {
        var mem = Module.Empty with { Mems = [M(AddrType.I64)] };
        var table = Module.Empty with { Imports = [Imp(new TableExtern(T(AddrType.I64).Type))] };
        Validator.Validate(mem);
        Validator.Validate(table);
        var e = Assert.Throws<ValidationException>(() => Validator.Validate(mem, Old))!;
        Assert.That((e.Reason, e.Rule), Is.EqualTo(("i64 address type requires memory64", "Memtype_ok")));
        Assert.That(Rejects(table, Old), Is.EqualTo("i64 address type requires memory64"));
        Validator.Validate(mem, Old with { Memory64 = true });
    }
}

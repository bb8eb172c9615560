using NUnit.Framework;
using Spec.Syntax;
using static Spec.Validation.Tests.Build;

namespace Spec.Validation.Tests;

public class ExceptionTests
{
    // Type 0: the function's type; type 1: the tag's type [i32] -> [].
    static Module WithTag(Module m) => m with { Types = m.Types.Add(FuncT([I32], [])), Tags = [new Tag(new TypeIdx((uint)m.Types.Length))] };

    [Test]
    public void Throw_pops_the_tag_parameters()
    {
        Valid(WithTag(Func([], [I64], I(1), new Throw(0))));
        Invalid(WithTag(Func([], [], L(1), new Throw(0))), "type mismatch", "Instr_ok/throw");
        Invalid(Func([], [], new Throw(0)), "unknown tag 0");
    }

    [Test]
    public void Tags_have_no_results() =>
        Invalid(Module.Empty with { Types = [FuncT([], [I32])], Tags = [new Tag(new TypeIdx(0))] }, "non-empty tag result type");

    [Test]
    public void Try_table_catch_clauses_match_their_labels()
    {
        var ok = WithTag(Func([], [I32], new Block(new ValBlockType(I32), [new TryTable(ValBlockType.Empty, [new CatchTag(0, 0)], []), I(0)])));
        Valid(ok);
        var refd = WithTag(Func([], [], new Block(ValBlockType.Empty, [new TryTable(ValBlockType.Empty, [new CatchTag(0, 0)], [])])));
        Invalid(refd, "type mismatch", "Catch_ok/catch");
        Valid(Func([], [RefType.ExnRef], new Block(new ValBlockType(new RefType(false, HeapType.Exn)),
            [new TryTable(ValBlockType.Empty, [new CatchAllRef(0)], []), Unreachable.I])));
    }

    [Test]
    public void Throw_ref_needs_an_exnref()
    {
        Valid(Func([], [], new RefNull(HeapType.Exn), ThrowRef.I));
        Invalid(Func([], [], new RefNull(HeapType.Extern), ThrowRef.I), "type mismatch");
    }

    [Test]
    public void Legacy_try_catch_handlers_receive_the_tag_values()
    {
        Valid(WithTag(Func([], [I32], new LegacyTry(new ValBlockType(I32), [I(1)], [new LegacyCatch(0, [])], [I(2)]))));
        Invalid(WithTag(Func([], [I64], new LegacyTry(new ValBlockType(I64), [L(1)], [new LegacyCatch(0, [])], null))), "type mismatch");
    }

    [Test]
    public void Legacy_rethrow_needs_a_catch_label()
    {
        Valid(WithTag(Func([], [], new LegacyTry(ValBlockType.Empty, [], [], [new LegacyRethrow(0)]))));
        Invalid(WithTag(Func([], [], new LegacyTry(ValBlockType.Empty, [new LegacyRethrow(0)], [], null))), "invalid rethrow label");
    }

    [Test]
    public void Legacy_delegate_names_an_outer_label()
    {
        Valid(Func([], [], new Block(ValBlockType.Empty, [new LegacyTryDelegate(ValBlockType.Empty, [], 1)])));
        Invalid(Func([], [], new Block(ValBlockType.Empty, [new LegacyTryDelegate(ValBlockType.Empty, [], 2)])), "unknown label");
    }
}

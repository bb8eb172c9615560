using NUnit.Framework;
using Spec.Syntax;

namespace Spec.Wast.Tests;

/// <summary>The runner over the real front end and each engine: scripts whose outcome each command pins down.</summary>
[TestFixture("interp")]
[TestFixture("jit")]
public class EngineTests(string engineName)
{
    /// <summary>A script engine over this fixture's runtime engine.</summary>
    StoreEngine New(long? fuel = StoreEngine.DefaultFuel, TextWriter? output = null, Features? features = null) =>
        new(engineName == "jit" ? new Native.Jit(new Native.JitOptions { Fuel = true }) : null, fuel, output, features);

    FileResult Run(string script, StoreEngine? engine = null, Features? features = null) =>
        new ScriptRunner(Pipeline.For(features ?? Features.Default), engine ?? New(features: features)).Run(WastParser.Parse("t.wast", script), "t.wast");

    /// <summary>Runs a script and returns the lines of its failed commands.</summary>
    int[] FailedLines(string script, StoreEngine? engine = null, Features? features = null)
    {
        var r = Run(script, engine, features);
        Assert.That(r.Skipped, Is.Zero, "nothing may be skipped with an engine");
        return [.. r.Failures.Select(f => f.Line)];
    }

    [Test]
    public void Spectest_globals_have_the_testsuite_values()
    {
        var lines = FailedLines("""
            (module
              (global (import "spectest" "global_i32") i32) (global (import "spectest" "global_i64") i64)
              (global (import "spectest" "global_f32") f32) (global (import "spectest" "global_f64") f64)
              (func (export "i32") (result i32) (global.get 0)) (func (export "i64") (result i64) (global.get 1))
              (func (export "f32") (result f32) (global.get 2)) (func (export "f64") (result f64) (global.get 3)))
            (assert_return (invoke "i32") (i32.const 666))
            (assert_return (invoke "i64") (i64.const 666))
            (assert_return (invoke "f32") (f32.const 666.6))
            (assert_return (invoke "f64") (f64.const 666.6))
            (assert_return (invoke "f64") (f64.const 666.5))
            (assert_return (invoke "i32") (i32.const 667))
            """);
        Assert.That(lines, Is.EqualTo(new[] { 10, 11 }));
    }

    [Test]
    public void Spectest_table_and_memory_have_their_limits_and_unknown_names_do_not_link()
    {
        var lines = FailedLines("""
            (module
              (import "spectest" "table" (table 10 20 funcref)) (import "spectest" "memory" (memory 1 2))
              (func (export "sizes") (result i32 i32) (table.size) (memory.size)))
            (assert_return (invoke "sizes") (i32.const 10) (i32.const 1))
            (module (import "spectest" "table64" (table i64 10 20 funcref)))
            (assert_unlinkable (module (import "spectest" "memory" (memory 2))) "incompatible import type")
            (assert_unlinkable (module (import "spectest" "table" (table 10 15 funcref))) "incompatible import type")
            (assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
            (assert_unlinkable (module (import "spectest" "unknown" (func))) "unknown import")
            (assert_unlinkable (module (import "spectest" "print" (func))) "unknown import")
            (module (import "spectest" "print_f64_f64" (func (param f64 f64))) (import "spectest" "shared_memory" (memory 1 2 shared)))
            """, features: new Features(Threads: true));
        Assert.That(lines, Is.EqualTo(new[] { 10 }));
    }

    [Test]
    public void Spectest_print_functions_print_their_arguments()
    {
        var output = new StringWriter();
        var lines = FailedLines("""
            (module
              (func $p (import "spectest" "print_i32_f32") (param i32 f32))
              (func (export "go") (call $p (i32.const -7) (f32.const 1.5))))
            (invoke "go")
            """, New(output: output));
        Assert.That(lines, Is.Empty);
        Assert.That(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Is.EqualTo(new[] { "-7 : i32", "1.5 : f32" }));
    }

    [Test]
    public void Registered_instances_link_and_share_state()
    {
        var lines = FailedLines("""
            (module $A
              (global (export "g") (mut i32) (i32.const 1))
              (func (export "get") (result i32) (global.get 0)))
            (register "A" $A)
            (module $B
              (global $g (import "A" "g") (mut i32))
              (func (import "A" "get") (result i32))
              (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 41))) (call 0)))
            (assert_return (invoke $B "bump") (i32.const 42))
            (assert_return (get $A "g") (i32.const 42))
            (assert_return (invoke $A "get") (i32.const 42))
            (assert_unlinkable (module (import "A" "nope" (func))) "unknown import")
            (assert_unlinkable (module (import "B" "bump" (func))) "unknown import")
            (assert_return (get $A "g") (i32.const 1))
            """);
        Assert.That(lines, Is.EqualTo(new[] { 14 }));
    }

    [Test]
    public void Module_instances_of_one_definition_have_separate_state()
    {
        var lines = FailedLines("""
            (module definition $M
              (global $c (mut i32) (i32.const 0))
              (func (export "next") (result i32) (global.set $c (i32.add (global.get $c) (i32.const 1))) (global.get $c)))
            (module instance $i $M)
            (module instance $j $M)
            (assert_return (invoke $i "next") (i32.const 1))
            (assert_return (invoke $i "next") (i32.const 2))
            (assert_return (invoke $j "next") (i32.const 1))
            """);
        Assert.That(lines, Is.Empty);
    }

    [Test]
    public void Traps_compare_the_message_as_a_prefix()
    {
        var lines = FailedLines("""
            (module (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))
            (assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
            (assert_trap (invoke "div" (i32.const 0)) "integer divide")
            (assert_trap (invoke "div" (i32.const 0)) "integer overflow")
            (assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")
            (assert_return (invoke "div" (i32.const 0)) (i32.const 0))
            (assert_exhaustion (invoke "div" (i32.const 0)) "integer divide by zero")
            """);
        Assert.That(lines, Is.EqualTo(new[] { 4, 5, 6, 7 }));
    }

    [Test]
    public void Traps_during_instantiation_keep_what_was_already_written()
    {
        var lines = FailedLines("""
            (module $M (memory (export "mem") 1) (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))
            (register "M" $M)
            (assert_trap (module (memory (import "M" "mem") 1) (data (i32.const 0) "a") (data (i32.const 65536) "b")) "out of bounds memory access")
            (assert_return (invoke $M "load" (i32.const 0)) (i32.const 97))
            (assert_trap (module (func $s unreachable) (start $s)) "unreachable")
            (assert_trap (module (func $s) (start $s)) "unreachable")
            (assert_uninstantiable (module (func $s (call $s)) (start $s)) "call stack exhausted")
            """);
        Assert.That(lines, Is.EqualTo(new[] { 6, 7 }));
    }

    [Test]
    public void Exhaustion_and_uncaught_exceptions_are_their_own_kinds()
    {
        var lines = FailedLines("""
            (module
              (tag $t (param i32))
              (func $loop (export "loop") (call $loop))
              (func (export "throw") (throw $t (i32.const 1)))
              (func (export "catch") (result i32) (block $h (result i32) (try_table (catch $t $h) (throw $t (i32.const 5))) (i32.const 0))))
            (assert_exhaustion (invoke "loop") "call stack exhausted")
            (assert_exception (invoke "throw"))
            (assert_return (invoke "catch") (i32.const 5))
            (assert_trap (invoke "loop") "call stack exhausted")
            (assert_trap (invoke "throw") "uncaught exception")
            (assert_exception (invoke "loop"))
            (assert_exception (invoke "catch"))
            """);
        Assert.That(lines, Is.EqualTo(new[] { 9, 10, 11, 12 }));
    }

    [Test]
    public void Fuel_ends_a_runaway_loop_as_exhaustion()
    {
        var r = Run("""
            (module (func (export "spin") (loop (br 0))))
            (assert_exhaustion (invoke "spin") "fuel exhausted")
            (assert_return (invoke "spin"))
            """, New(fuel: 10_000));
        Assert.That(r.Failures.Select(f => (f.Line, f.Phase)), Is.EqualTo(new[] { (3, Phase.Execute) }));
        Assert.That(r.Failures[0].Message, Does.Contain("fuel exhausted"));
    }

    [Test]
    public void Nan_patterns_match_by_class_for_scalars_and_per_lane()
    {
        var lines = FailedLines("""
            (module
              (func (export "f32") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
              (func (export "v") (param v128) (result v128) (local.get 0)))
            (assert_return (invoke "f32" (i32.const 0x7fc00000)) (f32.const nan:canonical))
            (assert_return (invoke "f32" (i32.const 0xffc00000)) (f32.const nan:canonical))
            (assert_return (invoke "f32" (i32.const 0x7fe00000)) (f32.const nan:arithmetic))
            (assert_return (invoke "f32" (i32.const 0x7fe00000)) (f32.const nan:canonical))
            (assert_return (invoke "f32" (i32.const 0x7fa00000)) (f32.const nan:arithmetic))
            (assert_return (invoke "v" (v128.const i32x4 0x7fc00000 1 0xffe00000 0)) (v128.const f32x4 nan:canonical 0x1p-149 nan:arithmetic 0))
            (assert_return (invoke "v" (v128.const i32x4 0x7fc00000 1 0x7fa00000 0)) (v128.const f32x4 nan:canonical 0x1p-149 nan:arithmetic 0))
            (assert_return (invoke "v" (v128.const i64x2 0x7ff8000000000000 5)) (v128.const f64x2 nan:canonical 0x0.0000000000005p-1022))
            (assert_return (invoke "f32" (i32.const 0x7fc00000)) (either (f32.const 1) (f32.const nan:canonical)))
            (assert_return (invoke "f32" (i32.const 0x3f800000)) (either (f32.const 1) (f32.const nan:canonical)))
            (assert_return (invoke "f32" (i32.const 0x40000000)) (either (f32.const 1) (f32.const nan:canonical)))
            """);
        Assert.That(lines, Is.EqualTo(new[] { 7, 8, 10, 14 }));
    }

    [Test]
    public void References_come_back_by_kind_and_host_address()
    {
        var lines = FailedLines("""
            (module
              (type $s (struct (field i32)))
              (type $a (array i8))
              (func $f (export "func") (result funcref) (ref.func $f))
              (func (export "i31") (result anyref) (ref.i31 (i32.const 3)))
              (func (export "struct") (result anyref) (struct.new $s (i32.const 1)))
              (func (export "array") (result eqref) (array.new_default $a (i32.const 2)))
              (func (export "extern") (param externref) (result externref) (local.get 0))
              (func (export "internal") (param externref) (result anyref) (any.convert_extern (local.get 0)))
              (func (export "any") (param anyref) (result anyref) (local.get 0))
              (func (export "wrapped") (result externref) (extern.convert_any (ref.i31 (i32.const 1))))
              (func (export "null") (result externref) (ref.null extern)))
            (assert_return (invoke "func") (ref.func))
            (assert_return (invoke "i31") (ref.i31))
            (assert_return (invoke "i31") (ref.eq))
            (assert_return (invoke "struct") (ref.struct))
            (assert_return (invoke "array") (ref.array))
            (assert_return (invoke "extern" (ref.extern 7)) (ref.extern 7))
            (assert_return (invoke "internal" (ref.extern 7)) (ref.host 7))
            (assert_return (invoke "any" (ref.host 9)) (ref.host 9))
            (assert_return (invoke "wrapped") (ref.extern))
            (assert_return (invoke "null") (ref.null extern))
            (assert_return (invoke "null") (ref.null))
            (assert_return (invoke "extern" (ref.null extern)) (ref.null extern))
            (assert_return (invoke "func") (ref.null func))
            (assert_return (invoke "struct") (ref.array))
            (assert_return (invoke "extern" (ref.extern 7)) (ref.extern 8))
            (assert_return (invoke "i31") (ref.func))
            (assert_return (invoke "null") (ref.extern))
            """);
        Assert.That(lines, Is.EqualTo(new[] { 25, 26, 27, 28, 29 }));
    }

    [Test]
    public void An_invalid_module_is_not_instantiated_and_actions_on_it_fail()
    {
        var r = Run("""
            (module (func $s (drop)) (start $s))
            (assert_return (invoke "f"))
            (module (func (export "f")))
            (assert_return (invoke "f"))
            (assert_return (invoke "g"))
            (assert_return (invoke "f" (i32.const 1)))
            """);
        Assert.That(r.Failures.Select(f => (f.Line, f.Phase)), Is.EqualTo(new[]
        {
            (1, Phase.Validate), (2, Phase.Instantiate), (5, Phase.Execute), (6, Phase.Execute),
        }));
        Assert.That(r.Failures[1].Message, Does.Contain("line 1"));
        Assert.That(r.Failures[2].Message, Does.Contain("\"g\""));
    }

    [Test]
    public void Values_cross_the_seam_bit_for_bit()
    {
        const string source = """
            (module
              (func (export "i32") (param i32) (result i32) (local.get 0)) (func (export "i64") (param i64) (result i64) (local.get 0))
              (func (export "f32") (param f32) (result f32) (local.get 0)) (func (export "f64") (param f64) (result f64) (local.get 0))
              (func (export "v128") (param v128) (result v128) (local.get 0)))
            """;
        var module = Pipeline.Frontend.ParseText!(System.Text.Encoding.UTF8.GetBytes(source));
        var instance = New().Instantiate(module, new Dictionary<string, IScriptInstance>());
        var random = new Random(17);
        for (int k = 0; k < 500; k++)
        {
            ulong bits = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
            foreach (var type in new[] { NumType.I32, NumType.I64, NumType.F32, NumType.F64 })
            {
                Arg arg = new NumArg(type, type is NumType.I32 or NumType.F32 ? bits & 0xffff_ffff : bits);
                Assert.That(instance.Invoke(type.ToString().ToLowerInvariant(), [arg]), Is.EqualTo(new[] { arg }));
            }
            Arg vec = new VecArg(new V128(bits, ~bits * 31));
            Assert.That(instance.Invoke("v128", [vec]), Is.EqualTo(new[] { vec }));
        }
    }

    [Test]
    public void The_engine_is_there_by_its_name()
    {
        Assert.That(Pipeline.Engine(engineName)?.Name, Is.EqualTo(engineName));
        Assert.That(Pipeline.Unavailable(engineName), Is.Null, "this machine runs both engines");
        Assert.That(Pipeline.Engine("nonesuch"), Is.Null);
    }
}

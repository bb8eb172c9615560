using System.Text;
using NUnit.Framework;
using Spec.Syntax;
using static Spec.Execution.Tests.NumericsReference;

namespace Spec.Execution.Tests;

/// <summary>
/// The official testsuite as an oracle: every assert_return / assert_trap whose invoked export is a single
/// numeric or vector instruction applied to its parameters in order is evaluated with Numerics directly.
/// </summary>
public class NumericsTestsuiteTests
{
    // ---- A small s-expression reader (atoms, strings, lists); comments are skipped ----

    abstract record SExpr;
    sealed record Atom(string Text) : SExpr;
    sealed record Str(string Text) : SExpr;
    sealed record List(List<SExpr> Items) : SExpr
    {
        public string? Head => Items.Count > 0 && Items[0] is Atom a ? a.Text : null;
    }

    static List<SExpr> Read(string src)
    {
        var stack = new Stack<List<SExpr>>();
        var top = new List<SExpr>();
        int i = 0;
        while (i < src.Length)
        {
            char ch = src[i];
            if (char.IsWhiteSpace(ch)) { i++; continue; }
            if (ch == ';' && i + 1 < src.Length && src[i + 1] == ';') { while (i < src.Length && src[i] != '\n') i++; continue; }
            if (ch == '(' && i + 1 < src.Length && src[i + 1] == ';')
            {
                int depth = 0;
                do
                {
                    if (src[i] == '(' && src[i + 1] == ';') { depth++; i += 2; }
                    else if (src[i] == ';' && src[i + 1] == ')') { depth--; i += 2; }
                    else i++;
                } while (depth > 0);
                continue;
            }
            if (ch == '(') { stack.Push(top); top = []; i++; continue; }
            if (ch == ')') { var l = new List(top); top = stack.Pop(); top.Add(l); i++; continue; }
            if (ch == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (src[i] != '"') { if (src[i] == '\\') sb.Append(src[i++]); sb.Append(src[i++]); }
                i++;
                top.Add(new Str(sb.ToString()));
                continue;
            }
            int start = i;
            while (i < src.Length && !char.IsWhiteSpace(src[i]) && src[i] != '(' && src[i] != ')') i++;
            top.Add(new Atom(src[start..i]));
        }
        return top;
    }

    // ---- Values and expectations ----

    abstract record Val;
    sealed record Num(NumType T, ulong Bits) : Val;
    sealed record Vec(V128 V) : Val;

    // An expected lane: exact bits, or a NaN pattern.
    enum Pat { Exact, Canonical, Arithmetic }

    static Format Fmt(NumType t) => t == NumType.F32 ? F32 : F64;

    static NumType ParseNumType(string s) => s switch
    {
        "i32" => NumType.I32, "i64" => NumType.I64, "f32" => NumType.F32, "f64" => NumType.F64,
        _ => throw new FormatException(s),
    };

    static Shape ParseShape(string s) => s switch
    {
        "i8x16" => Shape.I8x16, "i16x8" => Shape.I16x8, "i32x4" => Shape.I32x4, "i64x2" => Shape.I64x2,
        "f32x4" => Shape.F32x4, "f64x2" => Shape.F64x2, _ => throw new FormatException(s),
    };

    static (ulong Bits, Pat Pat) Lane(string text, LaneType t)
    {
        int N = Numerics.lsize(t);
        if (t is LaneType.F32 or LaneType.F64)
        {
            var f = t == LaneType.F32 ? F32 : F64;
            return text switch
            {
                "nan:canonical" => (0, Pat.Canonical),
                "nan:arithmetic" => (0, Pat.Arithmetic),
                _ => (ParseFloatBits(text, f), Pat.Exact),
            };
        }
        return (ParseIntBits(text, N), Pat.Exact);
    }

    // An expected value: a type and per-lane (bits, pattern); a scalar is a single lane.
    sealed record Expect(NumType? T, Shape? S, (ulong Bits, Pat Pat)[] Lanes);

    static Expect ParseExpect(List c)
    {
        string head = c.Head!;
        if (head == "v128.const")
        {
            var s = ParseShape(((Atom)c.Items[1]).Text);
            return new(null, s, [.. c.Items.Skip(2).Select(x => Lane(((Atom)x).Text, s.Lane))]);
        }
        var t = ParseNumType(head[..3]);
        var lt = t switch { NumType.I32 => LaneType.I32, NumType.I64 => LaneType.I64, NumType.F32 => LaneType.F32, _ => LaneType.F64 };
        return new(t, null, [Lane(((Atom)c.Items[1]).Text, lt)]);
    }

    static Val ParseArg(List c)
    {
        var e = ParseExpect(c);
        if (e.Lanes.Any(l => l.Pat != Pat.Exact)) throw new FormatException("pattern as argument");
        return e.S is { } s ? new Vec(Numerics.inv_lanes(s, [.. e.Lanes.Select(l => l.Bits)])) : new Num(e.T!.Value, e.Lanes[0].Bits);
    }

    static bool LaneMatches(LaneType t, ulong got, (ulong Bits, Pat Pat) want)
    {
        if (want.Pat == Pat.Exact) return got == want.Bits;
        bool canon = t == LaneType.F32 ? Numerics.IsCanonicalNaN(Numerics.f32((uint)got)) : Numerics.IsCanonicalNaN(Numerics.f64(got));
        bool arith = t == LaneType.F32 ? Numerics.IsArithmeticNaN(Numerics.f32((uint)got)) : Numerics.IsArithmeticNaN(Numerics.f64(got));
        return want.Pat == Pat.Canonical ? canon : arith;
    }

    static bool Matches(Val got, Expect want)
    {
        if (want.S is { } s)
        {
            if (got is not Vec v) return false;
            for (int i = 0; i < s.Dim; i++)
                if (!LaneMatches(s.Lane, Numerics.lane(s, v.V, i), want.Lanes[i])) return false;
            return true;
        }
        if (got is not Num n || n.T != want.T) return false;
        var lt = n.T switch { NumType.I32 => LaneType.I32, NumType.I64 => LaneType.I64, NumType.F32 => LaneType.F32, _ => LaneType.F64 };
        return LaneMatches(lt, n.Bits, want.Lanes[0]);
    }

    // ---- Instructions: name and immediates to an evaluation; null result = trap (message returned) ----

    sealed record Outcome(Val? Value, string? Trap);

    static readonly string[] ShapeNames = ["i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"];

    static T Enum<T>(string snake) where T : struct, System.Enum =>
        System.Enum.TryParse<T>(snake.Replace("_", ""), ignoreCase: true, out var r) ? r : throw new FormatException(snake);

    static bool IsEnum<T>(string snake) where T : struct, System.Enum =>
        System.Enum.TryParse<T>(snake.Replace("_", ""), ignoreCase: true, out _);

    static Func<Val[], Outcome>? Compile(string name, List<string> imms)
    {
        int dot = name.IndexOf('.');
        if (dot < 0) return null;
        string prefix = name[..dot], rest = name[(dot + 1)..];
        if (prefix is "i32" or "i64" or "f32" or "f64") return CompileScalar(ParseNumType(prefix), rest);
        if (prefix == "v128")
            return rest switch
            {
                "not" => a => V(Numerics.vvunop(VVUnOp.Not, Vv(a[0]))),
                "and" or "andnot" or "or" or "xor" => a => V(Numerics.vvbinop(Enum<VVBinOp>(rest), Vv(a[0]), Vv(a[1]))),
                "bitselect" => a => V(Numerics.vvternop(VVTernOp.Bitselect, Vv(a[0]), Vv(a[1]), Vv(a[2]))),
                "any_true" => a => I32(Numerics.vvtestop(VVTestOp.AnyTrue, Vv(a[0]))),
                _ => null,
            };
        if (!ShapeNames.Contains(prefix)) return null;
        Shape s = ParseShape(prefix);
        switch (rest)
        {
            case "splat": return a => V(Numerics.vsplat(s, ((Num)a[0]).Bits));
            case "extract_lane" or "extract_lane_s" or "extract_lane_u":
            {
                Sx? sx = rest.EndsWith("_s") ? Sx.S : rest.EndsWith("_u") ? Sx.U : null;
                int i = int.Parse(imms[0]);
                var rt = s.Lane switch { LaneType.I64 => NumType.I64, LaneType.F32 => NumType.F32, LaneType.F64 => NumType.F64, _ => NumType.I32 };
                return a => new(new Num(rt, Numerics.vextract_lane(s, sx, i, Vv(a[0]))), null);
            }
            case "replace_lane":
            {
                int i = int.Parse(imms[0]);
                return a => V(Numerics.vreplace_lane(s, i, Vv(a[0]), ((Num)a[1]).Bits));
            }
            case "shuffle":
            {
                byte[] lanes = [.. imms.Select(byte.Parse)];
                return a => V(Numerics.vshuffle(s, lanes, Vv(a[0]), Vv(a[1])));
            }
            case "swizzle" or "relaxed_swizzle": return a => V(Numerics.vswizzle(s, Enum<VSwizzlOp>(rest), Vv(a[0]), Vv(a[1])));
            case "bitmask": return a => I32(Numerics.vbitmask(s, Vv(a[0])));
            case "all_true": return a => I32(Numerics.vtestop(s, VTestOp.AllTrue, Vv(a[0])));
            case "shl" or "shr_s" or "shr_u":
                return a => V(Numerics.vshiftop(s, Enum<VShiftOp>(rest), Vv(a[0]), (uint)((Num)a[1]).Bits));
            case "relaxed_dot_i8x16_i7x16_s":
                return a => V(Numerics.vextbinop(s, Shape.I8x16, VExtBinOp.RelaxedDotS, Vv(a[0]), Vv(a[1])));
            case "relaxed_dot_i8x16_i7x16_add_s":
                return a => V(Numerics.vextternop(s, Shape.I8x16, VExtTernOp.RelaxedDotAddS, Vv(a[0]), Vv(a[1]), Vv(a[2])));
        }
        string? from = ShapeNames.FirstOrDefault(n => rest.Contains("_" + n));
        if (from is not null)
        {
            Shape f = ParseShape(from);
            string op = rest.Replace("_" + from, "");
            if (op.EndsWith("_s_zero") || op.EndsWith("_u_zero")) op = op[..^7] + "_zero" + op[^7..^5];
            if (op.StartsWith("narrow_")) return a => V(Numerics.vnarrow(s, f, op.EndsWith("_s") ? Sx.S : Sx.U, Vv(a[0]), Vv(a[1])));
            if (op.StartsWith("extadd_pairwise")) return a => V(Numerics.vextunop(s, f, Enum<VExtUnOp>(op), Vv(a[0])));
            if (op.StartsWith("extmul") || op.StartsWith("dot")) return a => V(Numerics.vextbinop(s, f, Enum<VExtBinOp>(op), Vv(a[0]), Vv(a[1])));
            return a => V(Numerics.vcvtop(s, f, Enum<VCvtOp>(op), Vv(a[0])));
        }
        if (IsEnum<VUnOp>(rest)) return a => V(Numerics.vunop(s, Enum<VUnOp>(rest), Vv(a[0])));
        if (IsEnum<VBinOp>(rest)) return a => V(Numerics.vbinop(s, Enum<VBinOp>(rest), Vv(a[0]), Vv(a[1])));
        if (IsEnum<VTernOp>(rest)) return a => V(Numerics.vternop(s, Enum<VTernOp>(rest), Vv(a[0]), Vv(a[1]), Vv(a[2])));
        if (IsEnum<VRelOp>(rest)) return a => V(Numerics.vrelop(s, Enum<VRelOp>(rest), Vv(a[0]), Vv(a[1])));
        return null;
    }

    static V128 Vv(Val v) => ((Vec)v).V;
    static Outcome V(V128 v) => new(new Vec(v), null);
    static Outcome I32(uint c) => new(new Num(NumType.I32, c), null);

    static Func<Val[], Outcome>? CompileScalar(NumType t, string rest)
    {
        if (rest is "const" or "load" or "store" || rest.StartsWith("load") || rest.StartsWith("store")) return null;
        string? from = new[] { "i32", "i64", "f32", "f64" }.FirstOrDefault(n => rest.Contains("_" + n));
        if (from is not null)
        {
            var t1 = ParseNumType(from);
            var op = Enum<CvtOp>(rest.Replace("_" + from, ""));
            return a =>
            {
                ulong c = ((Num)a[0]).Bits;
                ulong? r = Numerics.cvtop(t1, t, op, c);
                return r is { } v ? new(new Num(t, v), null) : new(null, Traps.Message(Numerics.TrapOfCvtop(t1, c)));
            };
        }
        if (rest == "eqz") return a => I32(Numerics.testop(t, TestOp.Eqz, ((Num)a[0]).Bits));
        if (IsEnum<UnOp>(rest)) { var op = Enum<UnOp>(rest); return a => new(new Num(t, Numerics.unop(t, op, ((Num)a[0]).Bits)), null); }
        if (IsEnum<RelOp>(rest)) { var op = Enum<RelOp>(rest); return a => I32(Numerics.relop(t, op, ((Num)a[0]).Bits, ((Num)a[1]).Bits)); }
        if (IsEnum<BinOp>(rest))
        {
            var op = Enum<BinOp>(rest);
            return a =>
            {
                ulong c1 = ((Num)a[0]).Bits, c2 = ((Num)a[1]).Bits;
                ulong? r = Numerics.binop(t, op, c1, c2);
                return r is { } v ? new(new Num(t, v), null) : new(null, Traps.Message(Numerics.TrapOfBinop(c2)));
            };
        }
        return null;
    }

    // ---- Modules: exports whose body is one folded instruction over the parameters in order ----

    static Dictionary<string, Func<Val[], Outcome>> SingleInstructionExports(List module)
    {
        var map = new Dictionary<string, Func<Val[], Outcome>>();
        foreach (var item in module.Items.OfType<List>().Where(l => l.Head == "func"))
        {
            var items = item.Items.Skip(1).ToList();
            if (items.Count == 0 || items[0] is not List { Head: "export" } ex || ex.Items[1] is not Str exportName) continue;
            var paramNames = new List<string>();
            int k = 1;
            for (; k < items.Count && items[k] is List { Head: "param" } p; k++)
            {
                if (p.Items[1] is Atom { Text: var id } && id.StartsWith('$')) { paramNames.Add(id); continue; }
                foreach (var _ in p.Items.Skip(1)) paramNames.Add("#" + paramNames.Count); // anonymous: by index
            }
            for (; k < items.Count && items[k] is List { Head: "result" }; k++) { }
            if (k != items.Count - 1 || items[k] is not List body || body.Head is not { } op) continue;
            var imms = new List<string>();
            var gets = new List<string>();
            bool ok = true;
            foreach (var x in body.Items.Skip(1))
            {
                if (x is Atom a && gets.Count == 0) imms.Add(a.Text);
                else if (x is List { Head: "local.get" } g && g.Items.Count == 2 && g.Items[1] is Atom ga) gets.Add(ga.Text);
                else { ok = false; break; }
            }
            if (!ok || gets.Count != paramNames.Count) continue;
            for (int i = 0; i < gets.Count; i++)
                if (gets[i] != paramNames[i] && gets[i] != i.ToString()) ok = false;
            if (!ok) continue;
            var f = Compile(op, imms);
            if (f is not null) map[exportName.Text] = f;
        }
        return map;
    }

    // ---- Running a script ----

    public sealed record Tally(int Checked, List<string> Failures);

    static Tally Run(string path)
    {
        var failures = new List<string>();
        int checkedCount = 0;
        var exports = new Dictionary<string, Func<Val[], Outcome>>();
        foreach (var cmd in Read(File.ReadAllText(path)).OfType<List>())
        {
            if (cmd.Head == "module") { exports = SingleInstructionExports(cmd); continue; }
            if (cmd.Head is not ("assert_return" or "assert_trap")) continue;
            if (cmd.Items[1] is not List { Head: "invoke" } inv || inv.Items[1] is not Str name) continue;
            if (!exports.TryGetValue(name.Text, out var f)) continue;
            Val[] args = [.. inv.Items.Skip(2).Cast<List>().Select(ParseArg)];
            Outcome got = f(args);
            string where = $"{Path.GetFileName(path)}: {Show(cmd)}";
            checkedCount++;
            if (cmd.Head == "assert_trap")
            {
                string msg = ((Str)cmd.Items[2]).Text;
                if (got.Trap is null || !msg.StartsWith(got.Trap)) failures.Add($"{where} => {Show(got)}");
                continue;
            }
            var results = cmd.Items.Skip(2).Cast<List>().ToList();
            bool pass = results.Count switch
            {
                0 => got.Value is null && got.Trap is null,
                _ when results[0].Head == "either" => got.Value is { } v && results[0].Items.Skip(1).Cast<List>().Any(r => Matches(v, ParseExpect(r))),
                _ => got.Value is { } v1 && Matches(v1, ParseExpect(results[0])),
            };
            if (!pass) failures.Add($"{where} => {Show(got)}");
        }
        return new(checkedCount, failures);
    }

    static string Show(SExpr e) => e switch
    {
        Atom a => a.Text,
        Str s => $"\"{s.Text}\"",
        List l => "(" + string.Join(" ", l.Items.Select(Show)) + ")",
        _ => "?",
    };

    static string Show(Outcome o) => o.Trap ?? o.Value switch
    {
        Num n => $"{n.T} 0x{n.Bits:x}",
        Vec v => v.V.ToString(),
        _ => "nothing",
    };

    // ---- Locating the testsuite: $WASM_TESTSUITE, else test/testsuite, else ../shared/testsuite from the repo root ----

    static string? FindTestsuite()
    {
        if (Environment.GetEnvironmentVariable("WASM_TESTSUITE") is { Length: > 0 } env && Directory.Exists(env)) return env;
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WasmSpec.sln"))) dir = dir.Parent;
        if (dir is null) return null;
        return new[] { Path.Combine(dir.FullName, "test", "testsuite"), Path.Combine(dir.FullName, "..", "shared", "testsuite") }
            .FirstOrDefault(Directory.Exists);
    }

    static string Testsuite() => FindTestsuite() ?? throw new AssertionException("testsuite not found: set WASM_TESTSUITE");

    static readonly string[] ScalarFiles =
        ["i32", "i64", "f32", "f64", "f32_cmp", "f64_cmp", "f32_bitwise", "f64_bitwise", "conversions", "float_exprs", "float_misc", "int_exprs", "float_literals", "int_literals", "const"];

    [TestCaseSource(nameof(ScalarFiles))]
    public void Scalar_assertions_of_the_testsuite_hold(string file)
    {
        var t = Run(Path.Combine(Testsuite(), file + ".wast"));
        TestContext.Out.WriteLine($"{file}.wast: {t.Checked} assertions checked, {t.Failures.Count} failed");
        Assert.That(t.Failures, Is.Empty, string.Join("\n", t.Failures.Take(20)));
        if (file is "i32" or "i64" or "f32" or "f64" or "conversions" or "f32_cmp" or "f64_cmp")
            Assert.That(t.Checked, Is.GreaterThan(100), "the scanner should find the single-instruction exports");
    }

    static IEnumerable<string> VectorFiles() =>
        FindTestsuite() is { } root
            ? Directory.GetFiles(root, "*.wast")
                .Select(p => Path.GetFileNameWithoutExtension(p)!)
                .Where(n => n.StartsWith("simd_") || n.StartsWith("relaxed_") || n.Contains("_relaxed_"))
                .Order()
            : [];

    [TestCaseSource(nameof(VectorFiles))]
    public void Vector_assertions_of_the_testsuite_hold(string file)
    {
        var t = Run(Path.Combine(Testsuite(), file + ".wast"));
        TestContext.Out.WriteLine($"{file}.wast: {t.Checked} assertions checked, {t.Failures.Count} failed");
        Assert.That(t.Failures, Is.Empty, string.Join("\n", t.Failures.Take(20)));
    }

    [Test]
    public void Totals()
    {
        int total = 0, failed = 0;
        foreach (var f in ScalarFiles.Concat(VectorFiles()))
        {
            var t = Run(Path.Combine(Testsuite(), f + ".wast"));
            total += t.Checked;
            failed += t.Failures.Count;
        }
        TestContext.Out.WriteLine($"testsuite oracle: {total} assertions checked, {failed} failed");
        Assert.That(total, Is.GreaterThan(10000));
        Assert.That(failed, Is.Zero);
    }
}

package io.circles.rhai.parser;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.ast.Calls;
import io.circles.rhai.ast.ChainLink;
import io.circles.rhai.ast.Modules;
import io.circles.rhai.ast.Node;
import io.circles.rhai.ast.Nodes;
import io.circles.rhai.ast.PlaceNode;
import io.circles.rhai.ast.SlotRef;
import io.circles.rhai.ast.Stmts;
import io.circles.rhai.eval.Program;
import io.circles.rhai.eval.ScriptFn;
import io.circles.rhai.lexer.Lexer;
import io.circles.rhai.lexer.Token;
import io.circles.rhai.lexer.TokenType;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.Unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.circles.rhai.lexer.TokenType.*;

/**
 * Recursive-descent parser (one method per grammar rule) that directly produces executable nodes with variables
 * resolved to frame slots.
 */
public final class Parser {
    /** Parser limits, and the host's custom operators (symbol to precedence). */
    public record Options(int maxExprDepth, int maxFunctionExprDepth, int maxFunctions, int maxVariables,
            Map<String, Integer> customOperators) {
    }

    /** Token types a custom operator may be: a name, a reserved word, or an unused symbol. */
    private static final Set<TokenType> CUSTOM_OPERATOR_TOKENS = Set.of(IDENT, RESERVED, HASH, AT, DOLLAR);

    /**
     * Checks that {@code symbol} can be made a custom operator with {@code precedence}, with the reference's
     * reasons when not; returns the symbol.
     */
    public static String customOperatorSymbol(String symbol, int precedence) {
        if (precedence < 1 || precedence > 255) {
            throw new IllegalArgumentException(precedence == 0 ? "precedence cannot be zero" : "precedence must be 1 to 255");
        }
        List<Token> tokens;
        try {
            tokens = Lexer.tokenize(symbol);
        } catch (RhaiException e) {
            throw new IllegalArgumentException("'" + symbol + "' is a reserved symbol");
        }
        if (tokens.size() != 2 || !tokens.get(0).text().equals(symbol)) {
            throw new IllegalArgumentException("'" + symbol + "' is not a single symbol");
        }
        TokenType type = tokens.get(0).type();
        if (!CUSTOM_OPERATOR_TOKENS.contains(type)) {
            boolean word = Character.isLetter(symbol.charAt(0)) || symbol.charAt(0) == '_';
            throw new IllegalArgumentException("'" + symbol + "' is a reserved " + (word ? "keyword" : "operator"));
        }
        return symbol;
    }

    /** Variables of one function (or the main script / a closure). */
    private static final class FnScope {
        final FnScope parent; // enclosing scope for closures, null otherwise
        final boolean closure;
        final boolean main;
        final ArrayList<HashMap<String, SlotRef>> blocks = new ArrayList<>();
        int next;
        int max;
        // captures (closures only)
        final LinkedHashMap<String, SlotRef> captures = new LinkedHashMap<>();
        final List<SlotRef> captureOuter = new ArrayList<>();
        final Map<SlotRef, List<Nodes.LocalVar>> captureUsers = new HashMap<>();

        FnScope(FnScope parent, boolean closure, boolean main) {
            this.parent = parent;
            this.closure = closure;
            this.main = main;
            blocks.add(new HashMap<>());
        }
    }

    private List<Token> toks;
    private int p;
    private final Options opt;
    private FnScope scope;
    private int depth;
    private int fnDepthLimit;
    private final Map<String, ScriptFn> fns = new LinkedHashMap<>();
    private final List<Calls.FnCall> calls = new ArrayList<>();
    private final List<Calls.MethodCall> methodCalls = new ArrayList<>();
    private final List<Program.TopVar> topVars = new ArrayList<>();
    private final Map<String, Integer> mainConsts = new HashMap<>();
    /** Exported top-level variable name → the names it is exported under ({@code export x as y}). */
    private final Map<String, List<String>> exported = new HashMap<>();
    private final Set<String> moduleAliases = new HashSet<>();
    private int anonCounter;
    /** Expression-only mode: blocks must hold a single expression. */
    private boolean exprMode;
    /** Number of enclosing loops in the current function body (break/continue are only valid inside one). */
    private int loopDepth;
    private final String source;
    /**
     * Expression nodes parsed so far that no statement, loop iteration or call has claimed: each statement of a
     * block, each loop iteration and each call counts 1 plus the nodes of its own (not those of nested blocks of
     * several statements, which count theirs), as the reference counts an operation per expression evaluated.
     */
    private int operations;

    public Parser(String source, Options opt) {
        this.source = source;
        this.opt = opt;
        this.toks = Lexer.tokenize(source);
    }

    // ============================================================ entry points

    public Program parseScript() {
        scope = new FnScope(null, false, true);
        fnDepthLimit = opt.maxExprDepth();
        List<Node> stmts = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        while (peek().type() != EOF) {
            int before = operations;
            Node s = statement(true);
            if (s != null) {
                stmts.add(s);
                weights.add(1 + operations - before);
            }
        }
        return finish(new Stmts.Block(Position.NONE, stmts.toArray(new Node[0]), toInts(weights)));
    }

    public Program parseExpression() {
        exprMode = true;
        scope = new FnScope(null, false, true);
        fnDepthLimit = opt.maxExprDepth();
        Node e = expr();
        if (peek().type() != EOF) throw err(peek(), "Unexpected '" + peek().text() + "'");
        return finish(e);
    }

    private Program finish(Node body) {
        for (Calls.FnCall c : calls) c.script = fns.get(c.name + "/" + c.arity());
        for (Calls.MethodCall c : methodCalls) c.script = fns.get(c.name + "/" + c.arity());
        return new Program(body, Math.max(scope.max, 1), fns, topVars, mainConsts, exported);
    }

    // ============================================================ token helpers

    private Token peek() {
        return toks.get(p);
    }

    private Token peek(int k) {
        int i = Math.min(p + k, toks.size() - 1);
        return toks.get(i);
    }

    private Token next() {
        Token t = toks.get(p);
        if (p < toks.size() - 1) p++;
        return t;
    }

    private boolean check(TokenType t) {
        return peek().type() == t;
    }

    private boolean match(TokenType t) {
        if (check(t)) {
            next();
            return true;
        }
        return false;
    }

    private static Position pos(Token t) {
        return new Position(t.line(), t.col());
    }

    private RhaiException err(Token t, String msg) {
        return RhaiException.parse(msg, pos(t));
    }

    private Token expect(TokenType t, String what) {
        if (!check(t)) {
            Token got = peek();
            if (got.type() == RESERVED) throw err(got, "'" + got.text() + "' is a reserved keyword");
            throw err(got, what);
        }
        return next();
    }

    private void enter(Token at) {
        if (++depth > fnDepthLimit) {
            throw RhaiException.parse("Expression exceeds maximum complexity", pos(at));
        }
    }

    private void leave() {
        depth--;
    }

    // ============================================================ scopes

    private void pushBlock() {
        scope.blocks.add(new HashMap<>());
    }

    private void popBlock(int savedNext) {
        scope.blocks.remove(scope.blocks.size() - 1);
        scope.next = savedNext;
    }

    private SlotRef declare(String name, boolean isConst, Token at) {
        int slot = scope.next++;
        if (scope.next > scope.max) scope.max = scope.next;
        if (opt.maxVariables() > 0 && scope.next > opt.maxVariables()) {
            throw new RhaiException(ErrorKind.TOO_MANY_VARIABLES, "Too many variables defined", pos(at), null);
        }
        SlotRef r = new SlotRef(slot, name, isConst);
        scope.blocks.get(scope.blocks.size() - 1).put(name, r);
        if (scope.main && scope.blocks.size() == 1) {
            if (name.startsWith("::")) {
                // top-level import: visible to functions too (kept out of the scope write-back)
                mainConsts.put(name, slot);
                return r;
            }
            topVars.add(new Program.TopVar(name, slot, isConst));
            if (isConst) mainConsts.put(name, slot);
            else mainConsts.remove(name);
        }
        return r;
    }

    private static SlotRef findLocal(FnScope sc, String name) {
        for (int i = sc.blocks.size() - 1; i >= 0; i--) {
            SlotRef r = sc.blocks.get(i).get(name);
            if (r != null) return r;
        }
        return sc.captures.get(name);
    }

    /** Resolves a variable, registering closure captures along the way; null if not a local. */
    private SlotRef resolve(FnScope sc, String name) {
        SlotRef r = findLocal(sc, name);
        if (r != null) return r;
        if (sc.closure && sc.parent != null) {
            SlotRef outer = resolve(sc.parent, name);
            if (outer == null) return null;
            SlotRef inner = new SlotRef(-1, name, outer.isConst);
            sc.captures.put(name, inner);
            sc.captureOuter.add(outer);
            sc.captureUsers.put(inner, new ArrayList<>());
            return inner;
        }
        return null;
    }

    private Node varNode(Token t, String name) {
        SlotRef r = resolve(scope, name);
        Position ps = pos(t);
        if (r != null) {
            Nodes.LocalVar v = new Nodes.LocalVar(ps, r.slot, name);
            List<Nodes.LocalVar> users = findCaptureUsers(scope, r);
            if (users != null) users.add(v);
            return v;
        }
        if (isInNamedFn()) return new Nodes.MissingVar(ps, name);
        return new Nodes.GlobalVar(ps, name);
    }

    private static List<Nodes.LocalVar> findCaptureUsers(FnScope sc, SlotRef r) {
        return sc.captureUsers.get(r);
    }

    private boolean isInNamedFn() {
        FnScope s = scope;
        while (s.closure && s.parent != null) s = s.parent;
        return !s.main;
    }

    private boolean isConstVar(Node n) {
        if (n instanceof Nodes.LocalVar v) {
            SlotRef r = resolve(scope, v.name);
            return r != null && r.isConst;
        }
        return false;
    }

    // ============================================================ statements

    private boolean endsWithBlock(Node n, Token first) {
        TokenType t = first.type();
        return isSelfTerminating(t) || t == FN || t == PRIVATE || (t == DO && toks.get(p - 1).type() == RBRACE);
    }

    /**
     * Statements that end with their closing brace, like the reference's {@code Stmt::is_self_terminated}: at
     * statement level the next token starts a new statement ({@code loop {} -n} is a loop, then {@code -n}).
     */
    private static boolean isSelfTerminating(TokenType t) {
        return t == IF || t == WHILE || t == LOOP || t == FOR || t == SWITCH || t == TRY || t == LBRACE;
    }

    /** A statement that starts with a block keyword: parsed whole, never continued by an operator or postfix. */
    private Node blockStatement(Token first) {
        return switch (first.type()) {
            case TRY -> tryStmt();
            case LBRACE -> block();
            default -> primary();
        };
    }

    /** statement := ';' | let | const | fn | import | export | control | expr [assign] ; */
    private Node statement(boolean topLevel) {
        Token first = peek();
        if (first.type() == SEMI) {
            next();
            return null;
        }
        Node n;
        switch (first.type()) {
            case FN, PRIVATE -> {
                if (!topLevel || scope.closure || !scope.main) {
                    throw err(first, "Function definitions must be at global level and cannot be inside a block or another function");
                }
                fnDef();
                return null;
            }
            case LET, CONST -> n = letStmt(false);
            case IMPORT -> n = importStmt();
            case EXPORT -> {
                if (!topLevel || !scope.main) throw err(first, "Export statement can only appear at global level");
                n = exportStmt();
            }
            case BREAK, CONTINUE, RETURN, THROW -> n = jumpStmt();
            default -> n = isSelfTerminating(first.type()) ? blockStatement(first) : exprStatement();
        }
        terminator(first, n);
        return n;
    }

    private void terminator(Token first, Node n) {
        if (match(SEMI)) return;
        TokenType t = peek().type();
        if (t == RBRACE || t == EOF) return;
        if (endsWithBlock(n, first) && toks.get(p - 1).type() == RBRACE) return;
        throw err(peek(), "Expecting ';' to terminate this statement");
    }

    private Node letStmt(boolean export) {
        Token kw = next();
        boolean isConst = kw.type() == CONST;
        Token name = peek();
        if (name.type() != IDENT) {
            if (name.type() == RESERVED) throw err(name, "'" + name.text() + "' is a reserved keyword");
            throw err(name, "Expecting name of a variable");
        }
        next();
        Node init = null;
        if (match(EQ)) {
            init = expr();
        }
        SlotRef r = declare(name.text(), isConst, name);
        if (export) exportAs(name.text(), name.text());
        return new Stmts.Let(pos(kw), r.slot, init);
    }

    private Node exportStmt() {
        Token kw = next();
        if (check(LET) || check(CONST)) return letStmt(true);
        do {
            Token name = expect(IDENT, "Expecting name of a variable");
            String alias = name.text();
            if (match(AS)) alias = expect(IDENT, "Expecting name of a variable").text();
            exportAs(name.text(), alias);
        } while (match(COMMA));
        return new Nodes.Const(pos(kw), Unit.INSTANCE);
    }

    private void exportAs(String variable, String alias) {
        exported.computeIfAbsent(variable, k -> new ArrayList<>()).add(alias);
    }

    private Node importStmt() {
        Token kw = next();
        Node path = expr();
        String alias = null;
        if (match(AS)) {
            Token a = expect(IDENT, "Expecting name of a variable");
            alias = a.text();
        }
        int slot = -1;
        if (alias != null) {
            SlotRef r = declare("::" + alias, true, kw);
            slot = r.slot;
            moduleAliases.add(alias);
        }
        return new Modules.Import(pos(kw), path, slot);
    }

    private Node jumpStmt() {
        Token kw = next();
        Position ps = pos(kw);
        TokenType t = peek().type();
        boolean hasValue = t != SEMI && t != RBRACE && t != EOF && t != COMMA && t != RPAREN && t != RBRACKET;
        if ((kw.type() == BREAK || kw.type() == CONTINUE) && loopDepth == 0) {
            throw err(kw, "Break statement should only be used inside a loop");
        }
        switch (kw.type()) {
            case CONTINUE:
                return new Stmts.Continue(ps);
            case BREAK:
                return new Stmts.Break(ps, hasValue ? expr() : null);
            case RETURN:
                return new Stmts.Return(ps, hasValue ? expr() : null);
            default:
                return new Stmts.Throw(ps, hasValue ? expr() : null);
        }
    }

    private Node exprStatement() {
        Token first = peek();
        Node lhs = expr();
        Token op = peek();
        String cop = compoundOp(op.type());
        if (op.type() == EQ || cop != null) {
            next();
            if (!(lhs instanceof PlaceNode place)) {
                throw err(first, "Expression cannot be assigned to");
            }
            PlaceNode root = rootOf(place);
            // the chain must start at a variable and go through properties and indexes only: a method call or a
            // function's result in it is no place to store into (the reference's AssignmentToInvalidLHS)
            if (root == null) throw err(first, "Expression cannot be assigned to");
            if (root == place && isConstVar(root)) {
                throw err(first, "Cannot assign to constant " + ((Nodes.LocalVar) root).name);
            }
            Node rhs = expr();
            if (root != null && root != place && isConstVar(root)) {
                return new Stmts.ConstViolation(pos(first), ((Nodes.LocalVar) root).name, rhs);
            }
            Position ps = pos(op);
            boolean simpleLocal = lhs instanceof Nodes.LocalVar lv && !isCaptured(lv);
            if (op.type() == EQ) {
                if (simpleLocal) return new Stmts.LocalAssign(ps, ((Nodes.LocalVar) lhs).slot, rhs);
                return new Stmts.Assign(ps, place, rhs);
            }
            if (simpleLocal) return new Stmts.LocalCompound(ps, ((Nodes.LocalVar) lhs).slot, cop, rhs);
            return Stmts.CompoundAssign.of(ps, place, cop, rhs);
        }
        return lhs;
    }

    private boolean isCaptured(Nodes.LocalVar lv) {
        return lv.slot < 0;
    }

    private static PlaceNode rootOf(PlaceNode n) {
        Node cur = n;
        while (true) {
            if (cur instanceof Nodes.Index ix) cur = ix.base();
            else if (cur instanceof Nodes.Prop pr) cur = pr.base();
            else break;
        }
        return cur instanceof PlaceNode pn ? pn : null;
    }

    private static String compoundOp(TokenType t) {
        return switch (t) {
            case PLUS_EQ -> "+";
            case MINUS_EQ -> "-";
            case STAR_EQ -> "*";
            case SLASH_EQ -> "/";
            case PERCENT_EQ -> "%";
            case POW_EQ -> "**";
            case SHL_EQ -> "<<";
            case SHR_EQ -> ">>";
            case AND_EQ -> "&";
            case OR_EQ -> "|";
            case XOR_EQ -> "^";
            case DQ_EQ -> "??";
            default -> null;
        };
    }

    private static int[] toInts(List<Integer> weights) {
        return weights.stream().mapToInt(Integer::intValue).toArray();
    }

    /** block := '{' statement* '}' (own variable scope) */
    private Node block() {
        Token open = expect(LBRACE, "Expecting '{' to start a statement block");
        enter(open);
        if (exprMode) {
            Node e = expr();
            expect(RBRACE, "Expecting '}' to end this statement block");
            leave();
            return e;
        }
        int saved = scope.next;
        int outer = operations;
        pushBlock();
        List<Node> stmts = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        while (!check(RBRACE)) {
            if (check(EOF)) throw err(peek(), "Expecting '}' to end this statement block");
            int before = operations;
            Node s = statement(false);
            if (s != null) {
                stmts.add(s);
                weights.add(1 + operations - before);
            }
        }
        next();
        popBlock(saved);
        leave();
        if (stmts.size() == 1 && !(stmts.get(0) instanceof Stmts.Let)) {
            return stmts.get(0); // its nodes stay counted: the enclosing statement, iteration or call counts them
        }
        operations = outer; // these statements count their own nodes
        return new Stmts.Block(pos(open), stmts.toArray(new Node[0]), toInts(weights));
    }

    private void fnDef() {
        boolean isPrivate = match(PRIVATE);
        Token kw = expect(FN, "Expecting 'fn'");
        Token name = peek();
        String thisType = null;
        if ((name.type() == IDENT || name.type() == STRING) && peek(1).type() == DOT) {
            // typed method: fn Type.name(...) / fn "Type".name(...)
            thisType = name.type() == STRING ? (String) name.value() : name.text();
            next();
            next();
            name = peek();
        }
        if (name.type() != IDENT) throw err(name, "Expecting function name in function declaration");
        next();
        expect(LPAREN, "Expecting parameters for function " + name.text());
        List<String> params = new ArrayList<>();
        if (!check(RPAREN)) {
            do {
                if (check(RPAREN)) break;
                Token pt = expect(IDENT, "Expecting a parameter name for function " + name.text());
                if (params.contains(pt.text())) {
                    throw err(pt, "Duplicated parameter " + pt.text() + " for function " + name.text());
                }
                params.add(pt.text());
            } while (match(COMMA));
        }
        expect(RPAREN, "Expecting ')' to close the parameters list of function " + name.text());
        String key = (thisType == null ? "" : ScriptFn.typedPrefix(thisType)) + name.text() + "/" + params.size();
        if (fns.containsKey(key)) {
            int n = params.size();
            throw err(name, "Function " + name.text() + " with " + (n == 0 ? "no parameters" : n == 1 ? "1 parameter" : n + " parameters") + " already exists");
        }
        if (opt.maxFunctions() > 0 && fns.size() >= opt.maxFunctions()) {
            throw err(name, "Number of functions defined exceeds maximum limit");
        }
        ScriptFn fn = new ScriptFn(name.text(), params.toArray(new String[0]), isPrivate, pos(kw));
        fns.put(key, fn);
        FnScope saved = scope;
        int savedDepth = depth;
        int savedLimit = fnDepthLimit;
        scope = new FnScope(null, false, false);
        int savedLoops = loopDepth;
        loopDepth = 0;
        depth = 0;
        fnDepthLimit = opt.maxFunctionExprDepth();
        for (String prm : params) declare(prm, false, name);
        if (!check(LBRACE)) throw err(peek(), "Expecting body statement block for function " + name.text());
        int start = operations;
        Node body = block();
        fn.callWeight = 1 + operations - start;
        operations = start;
        fn.body = Stmts.functionBody(unwrapTailReturn(body));
        fn.frameSize = Math.max(scope.max, 1);
        scope = saved;
        loopDepth = savedLoops;
        depth = savedDepth;
        fnDepthLimit = savedLimit;
    }

    private static Node unwrapTailReturn(Node body) {
        if (body instanceof Stmts.Return r && r.value() != null) return r.value();
        if (body instanceof Stmts.Block b) {
            Node[] st = b.stmts();
            if (st.length > 0 && st[st.length - 1] instanceof Stmts.Return r && r.value() != null) {
                st[st.length - 1] = r.value();
            }
        }
        return body;
    }

    // ============================================================ expressions

    public Node expr() {
        Token t = peek();
        enter(t);
        Node n = binary(1);
        leave();
        return n;
    }

    private static boolean isRangeEnd(TokenType t) {
        return t == RBRACKET || t == RPAREN || t == COMMA || t == SEMI || t == RBRACE || t == EOF || t == DARROW;
    }

    private static int precedence(TokenType t) {
        return switch (t) {
            case OROR, PIPE, CARET -> 30;
            case ANDAND, AMP -> 60;
            case EQEQ, NE -> 90;
            case IN, NOTIN -> 110;
            case LT, LE, GT, GE -> 130;
            case DQUESTION -> 135;
            case RANGE, RANGE_INCL -> 140;
            case PLUS, MINUS -> 150;
            case STAR, SLASH, PERCENT -> 180;
            case POW -> 190;
            case SHL, SHR -> 210;
            default -> 0;
        };
    }

    private Node binary(int minPrec) {
        Node left = unary();
        while (true) {
            Token op = peek();
            Integer custom = CUSTOM_OPERATOR_TOKENS.contains(op.type()) ? opt.customOperators().get(op.text()) : null;
            int prec = custom != null ? custom : precedence(op.type());
            if (prec == 0 || prec < minPrec) return left;
            next();
            operations++;
            if ((op.type() == RANGE || op.type() == RANGE_INCL) && isRangeEnd(peek().type())) {
                left = Nodes.binary(pos(op), "..", left, new Nodes.Const(pos(op), Long.MAX_VALUE));
                continue;
            }
            boolean right = op.type() == POW;
            Node rhs;
            enter(op);
            rhs = binary(right ? prec : prec + 1);
            leave();
            if (custom != null) {
                left = functionCall(pos(op), op.text(), new Node[] {left, rhs}, false);
                continue;
            }
            String o = switch (op.type()) {
                case NOTIN -> "!in";
                case IN -> "in";
                default -> op.text();
            };
            left = fold(Nodes.binary(pos(op), o, left, rhs), o, left, rhs);
        }
    }

    /** Constant-folds ranges of literal integers (needed by switch range cases). */
    private Node fold(Node n, String op, Node l, Node r) {
        if ((op.equals("..") || op.equals("..=")) && l.isConstant() && r.isConstant()
                && l.constantValue() instanceof Long a && r.constantValue() instanceof Long b) {
            return new Nodes.Const(n.pos, new RRange(a, b, op.equals("..=")));
        }
        return n;
    }

    private Node unary() {
        Token t = peek();
        switch (t.type()) {
            case MINUS -> {
                operations++;
                next();
                enter(t);
                Node e = unary();
                leave();
                if (e.isConstant() && e.constantValue() instanceof Long l) {
                    return new Nodes.Const(pos(t), l == Long.MIN_VALUE ? l : -l);
                }
                if (e.isConstant() && e.constantValue() instanceof Double d) return new Nodes.Const(pos(t), -d);
                return new Nodes.Neg(pos(t), e);
            }
            case PLUS -> {
                operations++;
                next();
                enter(t);
                Node e = unary();
                leave();
                return new Nodes.UPlus(pos(t), e);
            }
            case BANG -> {
                operations++;
                next();
                enter(t);
                Node e = unary();
                leave();
                return new Nodes.Not(pos(t), e);
            }
            case RANGE, RANGE_INCL -> {
                next();
                boolean incl = t.type() == RANGE_INCL;
                if (isRangeEnd(peek().type())) return new Nodes.Const(pos(t), new RRange(0, Long.MAX_VALUE, false));
                Node e = binary(141);
                return Nodes.binary(pos(t), incl ? "..=" : "..", new Nodes.Const(pos(t), 0L), e);
            }
            default -> {
                return postfix(primary());
            }
        }
    }

    private Node postfix(Node n) {
        boolean behindNullSafe = false;
        while (true) {
            Token t = peek();
            boolean ns = t.type() == QDOT || t.type() == QBRACKET;
            if (behindNullSafe && n instanceof ChainLink previous && isChainLinkStart(t.type())) previous.guard().continueChain();
            switch (t.type()) {
                case DOT, QDOT -> {
                    operations++;
                    next();
                    Token name = next();
                    if (name.type() != IDENT && !isKeywordName(name)) throw err(name, "Expecting name of a property");
                    if (check(LPAREN)) {
                        Node[] args = args();
                        if (name.text().equals("is_shared") && args.length == 0 && n instanceof Nodes.LocalVar lv) {
                            n = new Calls.IsShared(pos(name), lv);
                            continue;
                        }
                        Calls.MethodCall mc = new Calls.MethodCall(pos(name), n, name.text(), args, ns);
                        if (n instanceof PlaceNode place && isConstVar(rootOf(place))) mc.markConstantReceiver();
                        methodCalls.add(mc);
                        n = mc;
                    } else {
                        n = new Nodes.Prop(pos(name), n, name.text(), ns);
                    }
                }
                case LBRACKET, QBRACKET -> {
                    operations++;
                    next();
                    Token idxStart = peek();
                    Node idx = expr();
                    checkLiteralIndex(n, idx, idxStart);
                    expect(RBRACKET, "Expecting ']' to close the indexing expression");
                    n = new Nodes.Index(pos(t), n, idx, ns);
                }
                default -> {
                    return n;
                }
            }
            if (behindNullSafe && n instanceof ChainLink link) link.guard().followNullSafe();
            behindNullSafe |= ns;
        }
    }

    /**
     * A literal base indexed by a literal of a type it can never take is refused here, as the reference does
     * (its MalformedIndexExpr): maps take strings; arrays, strings and numbers (bit-fields) take integers.
     */
    private void checkLiteralIndex(Node base, Node idx, Token idxStart) {
        Object bv = base.isConstant() ? base.constantValue() : null;
        boolean mapBase = base instanceof Nodes.MapLit || bv instanceof java.util.TreeMap;
        boolean seqBase = base instanceof Nodes.ArrayLit || base instanceof Nodes.Interp
                || bv instanceof Long || bv instanceof String || bv instanceof ArrayList;
        String kind = literalIndexKind(idx);
        if (kind == null) return;
        if (mapBase && !kind.equals("a string")) {
            throw err(idxStart, "Object map expects string index, not " + kind);
        }
        if (seqBase && !kind.equals("a number")) {
            String expects = kind.equals("a string") ? "numeric" : "integer";
            throw err(idxStart, "Array, string or bit-field expects " + expects + " index, not " + kind);
        }
    }

    /** What a literal index is, in the reference's words; null when it is not a literal of a fixed type. */
    private static String literalIndexKind(Node idx) {
        if (idx instanceof Nodes.Interp) return "a string";
        if (idx instanceof Nodes.And || idx instanceof Nodes.Or) return "a boolean";
        if (!idx.isConstant()) return null;
        Object v = idx.constantValue();
        if (v instanceof Long) return "a number";
        if (v instanceof String) return "a string";
        if (v instanceof Double) return "a float";
        if (v instanceof io.circles.rhai.types.RChar) return "a character";
        if (v instanceof Boolean) return "a boolean";
        if (v == Unit.INSTANCE) return "()";
        return null;
    }

    private static boolean isChainLinkStart(TokenType t) {
        return t == DOT || t == QDOT || t == LBRACKET || t == QBRACKET;
    }

    private static boolean isKeywordName(Token t) {
        return t.text().length() > 0 && Character.isLetter(t.text().charAt(0)) && t.type() != EOF;
    }

    private Node[] args() {
        Token open = expect(LPAREN, "Expecting '('");
        List<Node> list = new ArrayList<>();
        if (!check(RPAREN)) {
            while (true) {
                list.add(expr());
                if (match(COMMA)) {
                    if (check(RPAREN)) break;
                    continue;
                }
                break;
            }
        }
        if (!check(RPAREN)) throw err(peek(), "Expecting ')' to close the arguments list");
        next();
        return list.toArray(new Node[0]);
    }

    private Node primary() {
        operations++;
        Token t = peek();
        Position ps = pos(t);
        switch (t.type()) {
            case INT, FLOAT, STRING, CHAR -> {
                next();
                return new Nodes.Const(ps, t.value());
            }
            case TRUE -> {
                next();
                return new Nodes.Const(ps, Boolean.TRUE);
            }
            case FALSE -> {
                next();
                return new Nodes.Const(ps, Boolean.FALSE);
            }
            case INTERP -> {
                next();
                return interpolation(t);
            }
            case LPAREN -> {
                return parenthesized(t);
            }
            case LBRACKET -> {
                return arrayLit();
            }
            case MAP_START -> {
                return mapLit();
            }
            case LBRACE -> {
                // a `{ }` block is a statement form: an expression compiled alone has none (as the reference)
                if (exprMode) throw err(t, "Unexpected '{'");
                return block();
            }
            case IF -> {
                return ifExpr();
            }
            case SWITCH -> {
                return switchExpr();
            }
            case WHILE -> {
                next();
                int start = operations;
                Node cond = expr();
                Node body = loopBody();
                Stmts.While loop = new Stmts.While(ps, cond, body);
                loop.iterationWeight = 1 + operations - start;
                operations = start;
                return loop;
            }
            case LOOP -> {
                next();
                int start = operations;
                Stmts.While loop = new Stmts.While(ps, null, loopBody());
                loop.iterationWeight = 1 + operations - start;
                operations = start;
                return loop;
            }
            case DO -> {
                return doLoop(ps);
            }
            case FOR -> {
                return forExpr();
            }
            case PIPE, OROR -> {
                return closure();
            }
            case THIS -> {
                next();
                return new Nodes.ThisVar(ps);
            }
            case BREAK, CONTINUE, RETURN, THROW -> {
                return jumpStmt();
            }
            case GLOBAL -> {
                next();
                expect(DCOLON, "Expecting '::'");
                Token name = expect(IDENT, "Expecting name of a variable");
                return new Nodes.GlobalConst(pos(name), name.text());
            }
            case IDENT -> {
                next();
                return identifier(t);
            }
            case RESERVED -> throw err(t, "'" + t.text() + "' is a reserved keyword");
            case EOF -> throw err(t, "Script is incomplete");
            default -> throw err(t, "Unexpected '" + t.text() + "'");
        }
    }

    /** {@code (expr)}, or {@code ()} written without a space. */
    private Node parenthesized(Token open) {
        next();
        if (check(RPAREN)) {
            Token close = peek();
            if (close.line() != open.line() || close.col() != open.col() + 1) {
                throw err(close, "Expecting an expression");
            }
            next();
            return new Nodes.Const(pos(open), Unit.INSTANCE);
        }
        Node e = expr();
        expect(RPAREN, "Expecting ')' to close the parenthesized expression");
        return e;
    }

    /** {@code do { … } while|until cond}. */
    private Node doLoop(Position ps) {
        next();
        int start = operations;
        Node body = loopBody();
        boolean until;
        if (match(WHILE)) until = false;
        else if (match(UNTIL)) until = true;
        else throw err(peek(), "Expecting 'while' or 'until' after the body of a 'do' loop");
        Node cond = expr();
        Stmts.DoWhile loop = new Stmts.DoWhile(ps, body, cond, until);
        loop.iterationWeight = 1 + operations - start;
        operations = start;
        return loop;
    }

    /** What follows a name: a namespaced path, a call, a shared-scope call {@code name!(…)} or a variable. */
    private Node identifier(Token t) {
        String name = t.text();
        if (check(DCOLON)) return namespaced(t);
        if (check(LPAREN)) return call(t);
        if (check(BANG) && peek(1).type() == LPAREN) return sharedScopeCall(t);
        return varNode(t, name);
    }

    /** {@code name!(args)}: calls a script function that can read and assign the caller's variables. */
    private Node sharedScopeCall(Token t) {
        next();
        Node[] a = args();
        LinkedHashMap<String, SlotRef> vis = new LinkedHashMap<>();
        for (HashMap<String, SlotRef> b : scope.blocks) vis.putAll(b);
        for (var e : scope.captures.entrySet()) vis.putIfAbsent(e.getKey(), e.getValue());
        List<Nodes.LocalVar> vars = new ArrayList<>();
        for (var e : vis.entrySet()) {
            if (!e.getKey().startsWith("::")) vars.add((Nodes.LocalVar) varNode(t, e.getKey()));
        }
        return new Calls.SharedScopeCall(pos(t), t.text(), a, vars.toArray(new Nodes.LocalVar[0]));
    }

    private Node loopBody() {
        loopDepth++;
        try {
            return Stmts.signalize(block());
        } finally {
            loopDepth--;
        }
    }

    private Node interpolation(Token t) {
        @SuppressWarnings("unchecked")
        List<Object> parts = (List<Object>) t.value();
        List<Node> nodes = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String s) {
                nodes.add(new Nodes.Const(pos(t), s));
            } else {
                Token.InterpExpr ie = (Token.InterpExpr) part;
                List<Token> saved = toks;
                int savedP = p;
                toks = new Lexer(ie.source(), ie.line(), ie.col()).run();
                p = 0;
                Position ps = new Position(ie.line(), ie.col());
                int savedNext = scope.next;
                pushBlock();
                List<Node> stmts = new ArrayList<>();
                while (!check(EOF)) {
                    Node s = statement(false);
                    if (s != null) stmts.add(s);
                }
                popBlock(savedNext);
                toks = saved;
                p = savedP;
                nodes.add(stmts.size() == 1 ? stmts.get(0) : new Stmts.Block(ps, stmts.toArray(new Node[0])));
            }
        }
        return new Nodes.Interp(pos(t), nodes.toArray(new Node[0]));
    }

    private Node arrayLit() {
        Token open = next();
        enter(open);
        List<Node> items = new ArrayList<>();
        while (!check(RBRACKET)) {
            items.add(expr());
            if (!match(COMMA)) break;
        }
        if (!check(RBRACKET)) throw err(peek(), "Expecting ']' to end this array literal");
        next();
        leave();
        return new Nodes.ArrayLit(pos(open), items.toArray(new Node[0]));
    }

    private Node mapLit() {
        Token open = next();
        enter(open);
        List<String> keys = new ArrayList<>();
        List<Node> vals = new ArrayList<>();
        while (!check(RBRACE)) {
            Token k = next();
            String key;
            if (k.type() == STRING) key = (String) k.value();
            else if (k.type() == IDENT || isKeywordName(k)) key = k.text();
            else throw err(k, "Expecting name of a property");
            if (keys.contains(key)) throw err(k, "Duplicated property for object map literal: " + key);
            expect(COLON, "Expecting ':' to follow the name of the property '" + key + "' in this object map literal");
            keys.add(key);
            vals.add(expr());
            if (!match(COMMA)) break;
        }
        if (!check(RBRACE)) throw err(peek(), "Expecting '}' to end this object map literal");
        next();
        leave();
        return new Nodes.MapLit(pos(open), keys.toArray(new String[0]), vals.toArray(new Node[0]));
    }

    private Node ifExpr() {
        Token kw = next();
        enter(kw);
        Node cond = expr();
        Node then = block();
        Node otherwise = null;
        if (match(ELSE)) {
            if (check(IF)) otherwise = ifExpr();
            else otherwise = block();
        }
        leave();
        return new Stmts.If(pos(kw), cond, then, otherwise);
    }

    private Node forExpr() {
        Token kw = next();
        int saved = scope.next;
        pushBlock();
        String var;
        String idx = null;
        Token vt;
        if (match(LPAREN)) {
            vt = expect(IDENT, "Expecting name of a variable");
            var = vt.text();
            expect(COMMA, "Expecting ',' after the iteration variable");
            idx = expect(IDENT, "Expecting name of a variable").text();
            expect(RPAREN, "Expecting ')' to close the iteration variables");
        } else {
            vt = peek();
            if (vt.type() != IDENT) throw err(vt, "Expecting name of a variable");
            next();
            var = vt.text();
        }
        expect(IN, "Expecting 'in' after the iteration variable");
        // iterable is evaluated outside the loop variables' scope
        popBlock(saved);
        Node iter = expr();
        pushBlock();
        SlotRef vr = declare(var, false, vt);
        final int idxSlot = idx != null ? declare(idx, false, vt).slot : -1;
        int start = operations;
        loopDepth++;
        Node body;
        try {
            body = Stmts.signalize(block());
        } finally {
            loopDepth--;
        }
        popBlock(saved);
        if (scope.main && scope.blocks.size() == 1) {
            // loop variables are not top-level variables
            topVars.removeIf(tv -> tv.slot() == vr.slot || tv.slot() == idxSlot);
        }
        Stmts.For loop = new Stmts.For(pos(kw), vr.slot, idxSlot, iter, body);
        loop.iterationWeight = 1 + operations - start;
        operations = start;
        return loop;
    }

    /** try-catch is a statement only (the reference rejects {@code let r = try …}). */
    private Node tryStmt() {
        Token kw = next();
        Node body = block();
        expect(CATCH, "Expecting 'catch' after the body of a 'try' block");
        int saved = scope.next;
        pushBlock();
        int slot = -1;
        if (match(LPAREN)) {
            Token v = expect(IDENT, "Expecting name of a variable");
            slot = declare(v.text(), false, v).slot;
            expect(RPAREN, "Expecting ')'");
        }
        Node handler = block();
        popBlock(saved);
        return new Stmts.TryCatch(pos(kw), body, slot, handler);
    }

    private Node switchExpr() {
        Token kw = next();
        Node value = expr();
        expect(LBRACE, "Expecting '{' to start a switch block");
        Stmts.Switch sw = new Stmts.Switch(pos(kw), value);
        boolean hasDefault = false;
        boolean hasRange = false;
        while (!check(RBRACE)) {
            if (check(EOF)) throw err(peek(), "Expecting '}' to end this switch block");
            Token start = peek();
            if (hasDefault) throw err(start, "Default switch case must be the last");
            List<Object> keys = new ArrayList<>();
            boolean isDefault = false;
            if (start.type() == IDENT && start.text().equals("_")) {
                next();
                isDefault = true;
            } else {
                do {
                    Token kt = peek();
                    Node k = binary(31);
                    Object kv = Nodes.constValue(k);
                    if (kv == null) throw err(kt, "Expecting a constant value in switch case");
                    keys.add(kv);
                } while (match(PIPE));
            }
            Node guard = null;
            if (match(IF)) {
                if (isDefault) throw err(toks.get(p - 1), "This switch case cannot have a condition");
                guard = expr();
            }
            expect(DARROW, "Expecting '=>' in this switch case");
            Node body = switchArm();
            if (isDefault) {
                sw.setDefault(body);
                hasDefault = true;
            } else {
                for (Object k : keys) {
                    if (k instanceof RRange r) {
                        // an empty range can never match: dropped, as the reference does, so it forbids nothing
                        if (r.isEmpty()) continue;
                        sw.addRange(new Stmts.RangeCase(r, guard, body));
                        hasRange = true;
                    } else {
                        if (hasRange && (k instanceof Long || k instanceof Double)) {
                            throw err(start, "Numeric switch case cannot follow a range case");
                        }
                        sw.addCase(k, new Stmts.SwitchCase(guard, body));
                    }
                }
            }
        }
        next();
        return sw;
    }

    /** A switch arm is a statement (e.g. {@code k => total += v}); a comma follows unless it ends with a block. */
    private Node switchArm() {
        Token bt = peek();
        Node body;
        if (isSelfTerminating(bt.type())) {
            body = blockStatement(bt);
            match(COMMA);
            return body;
        }
        if (bt.type() == BREAK || bt.type() == CONTINUE || bt.type() == RETURN || bt.type() == THROW) {
            body = jumpStmt();
        } else {
            body = exprStatement();
        }
        if (!match(COMMA) && !check(RBRACE)) throw err(peek(), "Expecting ',' to separate switch cases");
        return body;
    }

    private Node closure() {
        Token open = next();
        List<String> params = new ArrayList<>();
        if (open.type() == PIPE) {
            while (!check(PIPE)) {
                Token pt = expect(IDENT, "Expecting name of a parameter");
                if (params.contains(pt.text())) throw err(pt, "Duplicated parameter " + pt.text() + " for function anonymous");
                params.add(pt.text());
                if (!match(COMMA)) break;
            }
            expect(PIPE, "Expecting '|' to close the parameters list of the closure");
        }
        String name = "anon$" + Integer.toHexString(source.hashCode() & 0xffffff) + "_" + (anonCounter++);
        ScriptFn fn = new ScriptFn(name, params.toArray(new String[0]), false, pos(open));
        FnScope outer = scope;
        FnScope inner = new FnScope(outer, true, false);
        scope = inner;
        int savedLoops = loopDepth;
        loopDepth = 0;
        for (String prm : params) declare(prm, false, open);
        int start = operations;
        Node body;
        if (check(LBRACE)) {
            body = block();
        } else {
            Token bt = peek();
            if (bt.type() == BREAK || bt.type() == CONTINUE || bt.type() == RETURN || bt.type() == THROW) {
                body = jumpStmt();
            } else {
                body = exprStatement();
            }
        }
        fn.callWeight = 1 + operations - start;
        operations = start;
        // captured variables get slots after all locals
        int base = inner.max;
        int i = 0;
        int[] innerSlots = new int[inner.captures.size()];
        for (SlotRef r : inner.captures.values()) {
            r.slot = base + i;
            innerSlots[i] = r.slot;
            for (Nodes.LocalVar v : inner.captureUsers.get(r)) v.slot = r.slot;
            i++;
        }
        fn.captureInnerSlots = innerSlots;
        fn.body = Stmts.functionBody(unwrapTailReturn(body));
        fn.frameSize = Math.max(base + innerSlots.length, 1);
        scope = outer;
        loopDepth = savedLoops;
        return new Stmts.MakeClosure(pos(open), fn, inner.captureOuter.toArray(new SlotRef[0]));
    }

    private Node namespaced(Token first) {
        String alias = first.text();
        next(); // ::
        Token name = expect(IDENT, "Expecting name after '::'");
        // a::b::c: b is a sub-module of a (a module imported inside the module script of a)
        List<String> subModules = new ArrayList<>();
        while (match(DCOLON)) {
            subModules.add(name.text());
            name = expect(IDENT, "Expecting name after '::'");
        }
        SlotRef mod = resolve(scope, "::" + alias);
        Modules.Path path = new Modules.Path(mod == null ? -1 : mod.slot, alias, subModules.toArray(new String[0]));
        Position ps = pos(first);
        if (check(LPAREN)) {
            Node[] a = args();
            return new Modules.NsCall(ps, path, name.text(), a);
        }
        return new Modules.NsVar(ps, path, name.text());
    }

    private Node call(Token nameTok) {
        String name = nameTok.text();
        int callsBefore = calls.size() + methodCalls.size();
        Node[] a = args();
        boolean argsCallFree = calls.size() + methodCalls.size() == callsBefore;
        Position ps = pos(nameTok);
        if (name.equals("is_shared") && a.length == 1 && a[0] instanceof Nodes.LocalVar lv) {
            return new Calls.IsShared(ps, lv);
        }
        if (name.equals("is_def_var") && a.length == 1 && a[0].isConstant() && a[0].constantValue() instanceof String s) {
            return new Calls.KnownVar(ps, resolve(scope, s) != null, s);
        }
        if (name.equals("is_def_var") && a.length == 1) {
            java.util.Set<String> visible = new HashSet<>();
            for (HashMap<String, SlotRef> b : scope.blocks) visible.addAll(b.keySet());
            visible.addAll(scope.captures.keySet());
            return new Calls.DefVarCheck(ps, a[0], visible);
        }
        if (name.equals("eval") && a.length == 1) {
            // snapshot of the visible variables: eval runs in the caller's scope
            LinkedHashMap<String, SlotRef> vis = new LinkedHashMap<>();
            for (HashMap<String, SlotRef> b : scope.blocks) vis.putAll(b);
            for (var e : scope.captures.entrySet()) vis.putIfAbsent(e.getKey(), e.getValue());
            List<Nodes.LocalVar> vars = new ArrayList<>();
            for (var e : vis.entrySet()) {
                if (e.getKey().startsWith("::")) continue;
                Nodes.LocalVar v = (Nodes.LocalVar) varNode(nameTok, e.getKey());
                vars.add(v);
            }
            boolean topLevel = scope.blocks.size() == 1;
            return new Calls.EvalCall(ps, a[0], vars.toArray(new Nodes.LocalVar[0]), topLevel, scope.main);
        }
        return functionCall(ps, name, a, argsCallFree);
    }

    /** A call of {@code name} (script-defined, registered, or a closure in a local of that name). */
    private Calls.FnCall functionCall(Position ps, String name, Node[] a, boolean argsCallFree) {
        SlotRef local = findLocal(scope, name);
        Calls.FnCall c = new Calls.FnCall(ps, name, a, local != null && local.slot >= 0 ? local.slot : -1);
        if (a.length > 0 && a[0] instanceof PlaceNode pn) {
            PlaceNode root = rootOf(pn);
            if (root != null && isConstVar(root)) c.firstByRef = false;
        }
        c.argsCallFree = argsCallFree;
        calls.add(c);
        return c;
    }
}

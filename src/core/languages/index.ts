/**
 * One table of what Tessera knows about each language, by VS Code language id: comment markers, what opens a block,
 * keywords, the words that declare something, whether indentation delimits blocks, the tree-sitter grammar, and the
 * node types that are imports in that grammar. Every part of the core that needs a language fact reads it here.
 *
 *   languageOf(id)      the entry, or undefined for an id Tessera knows nothing about (callers pick their fallback)
 *   languageFamily(id)  documents that can see each other's declarations (TS/JS/TSX/JSX; C/C++/CUDA; else the id)
 *   lineCommentOf(id)   the line-comment marker usable at the top of a file, or undefined (none, or PHP/HTML)
 */
/** The tree-sitter grammars Tessera ships (core/syntax/registry.ts has their files). */
export type GrammarName =
  | 'python'
  | 'javascript'
  | 'typescript'
  | 'tsx'
  | 'go'
  | 'rust'
  | 'java'
  | 'c'
  | 'cpp'
  | 'c_sharp'
  | 'ruby'
  | 'php'
  | 'bash';

export interface Language {
  /** The VS Code language ids this entry covers (the first is its name). */
  ids: readonly string[];
  /** Documents of one family see each other's declarations. */
  family: string;
  /** The shipped tree-sitter grammar, if any. */
  grammar?: GrammarName;
  /** Line-comment markers, the usual one first (empty: the language has none). */
  lineComments: readonly string[];
  /** The block comment delimiters, if the language has them. */
  blockComment?: readonly [string, string];
  /**
   * Whether a comment at the very start of a file is a comment: false where a file starts in a host language (PHP's
   * text before `<?php` is HTML), so nothing can be commented in before the code.
   */
  commentsAtFileStart: boolean;
  /** The line that stands for code left out of a prompt (valid code or a comment in the language). */
  elision: string;
  /** Blocks are delimited by indentation (Python), not by brackets or keywords. */
  offside: boolean;
  /** Indented with tabs by convention (gofmt, make). */
  tabIndent: boolean;
  /** What ends a line that opens a block (`{`, Python's `:`, Ruby's `do`). */
  blockOpeners: readonly string[];
  /** Reserved words: never identifiers of the program. */
  keywords: ReadonlySet<string>;
  /** Names of the language's standard library so common that looking up their declaration is never worth it. */
  builtins: ReadonlySet<string>;
  /** Words after which the next word is a declared name (`def f`, `class C`, `const x`). */
  declarationKeywords: readonly string[];
  /** Words that may stand before a declaration on its line (`export`, `public static`, `async`). */
  modifiers: readonly string[];
  /** Declaration keywords whose declarations have members (a summary lists them). */
  typeKeywords: readonly string[];
  /** tree-sitter node types of import statements (grammar languages). */
  importNodes: readonly string[];
  /** tree-sitter node types of functions and methods (grammar languages). */
  functionNodes: readonly string[];
  /** tree-sitter node types of classes and other declarations with members (grammar languages). */
  typeNodes: readonly string[];
  /** How the first line of a constructor starts (where fields are assigned), for languages that have one. */
  constructorStart?: RegExp;
  /** Quote characters whose strings may span lines (Python's triple quotes aside): `` ` `` in JS/TS and Go. */
  multilineQuotes: string;
  /** `'` starts a one-character literal (`'x'`, `'\n'`), not a string; alone it is a lifetime or a label (C, Rust …). */
  charLiterals: boolean;
  /**
   * Code inside strings: the quote, and the brackets that open and close code in it (`"#{…}"` in Ruby, `` `${…}` ``
   * in JavaScript, `"$(…)"` in shell). A quote inside that code does not end the string.
   */
  interpolations: readonly Interpolation[];
  /**
   * A line that heads the lines under it as one case of a multi-way branch, as a block's header heads its body:
   * `case 1:` / `default:` in a C-like switch, a shell `case` arm's pattern (`linux_amd64)`, `-h|--help)`).
   */
  caseLabel?: RegExp;
}

export interface Interpolation {
  quote: string;
  open: string;
  close: string;
}

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

const C_KEYWORDS =
  'auto break case char const continue default do double else enum extern float for goto if inline int long register ' +
  'restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool _Complex ' +
  'NULL true false bool';
const CPP_KEYWORDS =
  `${C_KEYWORDS} alignas alignof and and_eq asm catch class compl concept consteval constexpr constinit const_cast ` +
  'co_await co_return co_yield decltype delete dynamic_cast explicit export friend mutable namespace new noexcept not ' +
  'not_eq nullptr operator or or_eq private protected public reinterpret_cast requires static_assert static_cast ' +
  'template this thread_local throw try typeid typename using virtual wchar_t xor xor_eq override final';
const JS_KEYWORDS =
  'break case catch class const continue debugger default delete do else export extends false finally for function ' +
  'if import in instanceof let new null return super switch this throw true try typeof var void while with yield ' +
  'async await of static get set undefined';
const TS_KEYWORDS =
  `${JS_KEYWORDS} abstract any as asserts bigint boolean declare enum implements infer interface is keyof module ` +
  'namespace never number object override private protected public readonly satisfies string symbol type unique unknown';
const JS_BUILTINS =
  'console require module exports Promise Array Object Map Set WeakMap Error Math JSON Date RegExp Number Boolean ' +
  'Symbol String window document globalThis process Buffer';

const BRACE = ['{'];

const C_CASE_LABEL = /^\s*(?:case\b.*|default\s*):\s*(?:\/\/.*)?$/;

/** Defaults of a language with C-like comments and braces; entries override what differs. */
function lang(ids: string[], spec: Partial<Language> & { keywords?: ReadonlySet<string> }): Language {
  const lineComments = spec.lineComments ?? ['//'];
  return {
    ids,
    family: spec.family ?? ids[0],
    grammar: spec.grammar,
    lineComments,
    blockComment: 'blockComment' in spec ? spec.blockComment : ['/*', '*/'],
    commentsAtFileStart: spec.commentsAtFileStart ?? true,
    elision: spec.elision ?? (lineComments.length ? `${lineComments[0]} ...` : '...'),
    offside: spec.offside ?? false,
    tabIndent: spec.tabIndent ?? false,
    blockOpeners: spec.blockOpeners ?? BRACE,
    keywords: spec.keywords ?? new Set(),
    builtins: spec.builtins ?? new Set(),
    declarationKeywords: spec.declarationKeywords ?? [],
    modifiers: spec.modifiers ?? [],
    typeKeywords: spec.typeKeywords ?? [],
    importNodes: spec.importNodes ?? [],
    functionNodes: spec.functionNodes ?? [],
    typeNodes: spec.typeNodes ?? [],
    constructorStart: spec.constructorStart,
    multilineQuotes: spec.multilineQuotes ?? '',
    charLiterals: spec.charLiterals ?? false,
    interpolations: spec.interpolations ?? [],
    caseLabel: 'caseLabel' in spec ? spec.caseLabel : C_CASE_LABEL,
  };
}

const hashComments = (ids: string[], extra: Partial<Language> = {}) =>
  lang(ids, { lineComments: ['#'], blockComment: undefined, caseLabel: undefined, ...extra });
const dashComments = (ids: string[], extra: Partial<Language> = {}) =>
  lang(ids, { lineComments: ['--'], blockComment: undefined, caseLabel: undefined, ...extra });
const slashComments = (ids: string[], extra: Partial<Language> = {}) => lang(ids, extra);

const JS_DECLARATIONS = ['function', 'class', 'const', 'let', 'var'];
const TS_DECLARATIONS = [...JS_DECLARATIONS, 'interface', 'type', 'enum', 'namespace', 'module'];
const JS_CONSTRUCTOR = /^\s*constructor\s*\(/;
const JS_FUNCTIONS = [
  'function_declaration',
  'function_expression',
  'generator_function_declaration',
  'generator_function',
  'arrow_function',
  'method_definition',
];
const TS_TYPES = [
  'class_declaration',
  'abstract_class_declaration',
  'class',
  'interface_declaration',
  'enum_declaration',
  'internal_module',
  'module',
];
/** TypeScript and TSX differ only in their grammar. */
const JS_INTERPOLATIONS: readonly Interpolation[] = [{ quote: '`', open: '${', close: '}' }];
const TYPESCRIPT: Partial<Language> = {
  multilineQuotes: '`',
  interpolations: JS_INTERPOLATIONS,
  family: 'js',
  keywords: words(TS_KEYWORDS),
  builtins: words(JS_BUILTINS),
  declarationKeywords: TS_DECLARATIONS,
  modifiers: [
    'export',
    'default',
    'declare',
    'abstract',
    'public',
    'private',
    'protected',
    'static',
    'readonly',
    'async',
    'override',
    'get',
    'set',
  ],
  typeKeywords: ['class', 'interface', 'type', 'enum', 'namespace', 'module'],
  importNodes: ['import_statement'],
  functionNodes: JS_FUNCTIONS,
  typeNodes: TS_TYPES,
  constructorStart: JS_CONSTRUCTOR,
};

export const LANGUAGES: readonly Language[] = [
  hashComments(['python'], {
    grammar: 'python',
    elision: '...',
    offside: true,
    blockOpeners: [':'],
    keywords: words(
      'False None True and as assert async await break class continue def del elif else except finally for from global ' +
        'if import in is lambda nonlocal not or pass raise return try while with yield',
    ),
    builtins: words(
      'self cls print len str dict list tuple set int float bool bytes object type range isinstance super enumerate zip',
    ),
    declarationKeywords: ['def', 'class'],
    modifiers: ['async'],
    typeKeywords: ['class'],
    importNodes: ['import_statement', 'import_from_statement', 'future_import_statement'],
    functionNodes: ['function_definition'],
    typeNodes: ['class_definition'],
    constructorStart: /^\s*(async\s+)?def __init__\b/,
  }),
  slashComments(['typescript'], { ...TYPESCRIPT, grammar: 'typescript' }),
  slashComments(['typescriptreact'], { ...TYPESCRIPT, grammar: 'tsx' }),
  slashComments(['javascript', 'javascriptreact'], {
    multilineQuotes: '`',
    interpolations: JS_INTERPOLATIONS,
    family: 'js',
    grammar: 'javascript',
    keywords: words(JS_KEYWORDS),
    builtins: words(JS_BUILTINS),
    declarationKeywords: JS_DECLARATIONS,
    modifiers: ['export', 'default', 'async', 'static', 'get', 'set'],
    typeKeywords: ['class'],
    importNodes: ['import_statement'],
    functionNodes: JS_FUNCTIONS,
    typeNodes: TS_TYPES,
    constructorStart: JS_CONSTRUCTOR,
  }),
  slashComments(['go'], {
    multilineQuotes: '`',
    charLiterals: true,
    grammar: 'go',
    tabIndent: true,
    keywords: words(
      'break case chan const continue default defer else fallthrough for func go goto if import interface map package ' +
        'range return select struct switch type var nil true false iota',
    ),
    builtins: words(
      'len cap make new append copy delete panic recover print println error string int int64 uint byte rune bool float64 any',
    ),
    declarationKeywords: ['func', 'type', 'const', 'var'],
    typeKeywords: ['type', 'struct', 'interface'],
    importNodes: ['import_declaration', 'package_clause'],
    functionNodes: ['function_declaration', 'method_declaration', 'func_literal'],
    typeNodes: ['type_declaration'],
  }),
  slashComments(['rust'], {
    multilineQuotes: '"',
    charLiterals: true,
    grammar: 'rust',
    keywords: words(
      'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move ' +
        'mut pub ref return self Self static struct super trait true type unsafe use where while union',
    ),
    builtins: words(
      'Some None Ok Err Option Result Vec String Box usize isize u8 u16 u32 u64 i8 i16 i32 i64 f32 f64 str bool char println format',
    ),
    declarationKeywords: ['fn', 'struct', 'enum', 'trait', 'impl', 'type', 'const', 'static', 'mod', 'union', 'let'],
    modifiers: ['pub', 'async', 'unsafe', 'extern'],
    typeKeywords: ['struct', 'enum', 'trait', 'impl', 'mod', 'union'],
    importNodes: ['use_declaration', 'extern_crate_declaration'],
    functionNodes: ['function_item', 'closure_expression'],
    typeNodes: ['struct_item', 'enum_item', 'impl_item', 'trait_item', 'mod_item', 'union_item'],
  }),
  slashComments(['java'], {
    charLiterals: true,
    grammar: 'java',
    keywords: words(
      'abstract assert boolean break byte case catch char class const continue default do double else enum extends ' +
        'final finally float for goto if implements import instanceof int interface long native new package private ' +
        'protected public return short static strictfp super switch synchronized this throw throws transient try void ' +
        'volatile while var record yield true false null',
    ),
    builtins: words('String Object Integer Long Boolean Double List Map Set ArrayList HashMap System Math Exception'),
    declarationKeywords: ['class', 'interface', 'enum', 'record'],
    modifiers: ['public', 'private', 'protected', 'static', 'final', 'abstract', 'synchronized', 'native', 'default'],
    typeKeywords: ['class', 'interface', 'enum', 'record'],
    importNodes: ['import_declaration', 'package_declaration'],
    functionNodes: ['method_declaration', 'constructor_declaration', 'lambda_expression'],
    typeNodes: ['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration'],
  }),
  slashComments(['c'], {
    charLiterals: true,
    family: 'c',
    grammar: 'c',
    keywords: words(C_KEYWORDS),
    builtins: words(
      'printf fprintf malloc calloc realloc free memcpy memset strlen size_t uint8_t uint16_t uint32_t uint64_t int32_t int64_t',
    ),
    declarationKeywords: ['struct', 'union', 'enum', 'typedef'],
    typeKeywords: ['struct', 'union', 'enum'],
    importNodes: ['preproc_include'],
    functionNodes: ['function_definition'],
    typeNodes: ['struct_specifier', 'union_specifier', 'enum_specifier'],
  }),
  slashComments(['cpp', 'cuda-cpp'], {
    charLiterals: true,
    family: 'c',
    grammar: 'cpp',
    keywords: words(CPP_KEYWORDS),
    builtins: words('std printf malloc free memcpy size_t uint32_t int32_t uint64_t int64_t string vector'),
    declarationKeywords: ['class', 'struct', 'union', 'enum', 'namespace', 'typedef', 'using'],
    modifiers: ['static', 'inline', 'virtual', 'explicit', 'constexpr', 'extern'],
    typeKeywords: ['class', 'struct', 'union', 'enum', 'namespace'],
    importNodes: ['preproc_include', 'using_declaration'],
    functionNodes: ['function_definition', 'lambda_expression'],
    typeNodes: ['class_specifier', 'struct_specifier', 'union_specifier', 'enum_specifier', 'namespace_definition'],
  }),
  slashComments(['csharp'], {
    charLiterals: true,
    grammar: 'c_sharp',
    keywords: words(
      'abstract as base bool break byte case catch char checked class const continue decimal default delegate do double ' +
        'else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface internal ' +
        'is lock long namespace new null object operator out override params private protected public readonly ref return ' +
        'sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint ulong unchecked ' +
        'unsafe ushort using virtual void volatile while var async await get set init record',
    ),
    builtins: words('String Console Math List Dictionary Task Exception'),
    declarationKeywords: ['class', 'interface', 'struct', 'enum', 'record', 'namespace', 'delegate'],
    modifiers: [
      'public',
      'private',
      'protected',
      'internal',
      'static',
      'readonly',
      'abstract',
      'override',
      'virtual',
      'sealed',
      'async',
      'partial',
    ],
    typeKeywords: ['class', 'interface', 'struct', 'enum', 'record', 'namespace'],
    importNodes: ['using_directive'],
    functionNodes: ['method_declaration', 'constructor_declaration', 'local_function_statement', 'lambda_expression'],
    typeNodes: [
      'class_declaration',
      'interface_declaration',
      'struct_declaration',
      'enum_declaration',
      'record_declaration',
      'namespace_declaration',
    ],
  }),
  hashComments(['ruby'], {
    multilineQuotes: `"'`,
    interpolations: [{ quote: '"', open: '#{', close: '}' }],
    grammar: 'ruby',
    blockComment: ['=begin', '=end'],
    blockOpeners: ['do', 'then', 'begin', '{'],
    keywords: words(
      'BEGIN END alias and begin break case class def defined do else elsif end ensure false for if in module next nil ' +
        'not or redo rescue retry return self super then true undef unless until when while yield',
    ),
    builtins: words('puts print require require_relative attr_reader attr_accessor attr_writer raise'),
    declarationKeywords: ['def', 'class', 'module'],
    typeKeywords: ['class', 'module'],
    functionNodes: ['method', 'singleton_method'],
    typeNodes: ['class', 'module'],
    constructorStart: /^\s*def initialize\b/,
  }),
  lang(['php'], {
    multilineQuotes: `"'`,
    grammar: 'php',
    lineComments: ['//', '#'],
    commentsAtFileStart: false,
    keywords: words(
      'abstract and array as break callable case catch class clone const continue declare default do echo else elseif ' +
        'empty enddeclare endfor endforeach endif endswitch endwhile extends final finally fn for foreach function global ' +
        'goto if implements include instanceof insteadof interface isset list match namespace new or print private ' +
        'protected public readonly require return static switch throw trait try unset use var while xor yield true false null this',
    ),
    declarationKeywords: ['function', 'class', 'interface', 'trait', 'enum', 'const'],
    modifiers: ['public', 'private', 'protected', 'static', 'final', 'abstract', 'readonly'],
    typeKeywords: ['class', 'interface', 'trait', 'enum'],
    importNodes: ['namespace_use_declaration', 'namespace_use_clause'],
    functionNodes: ['function_definition', 'method_declaration', 'anonymous_function'],
    typeNodes: ['class_declaration', 'interface_declaration', 'trait_declaration', 'enum_declaration'],
    constructorStart: /^\s*(?:public\s+)?function __construct\b/,
  }),
  hashComments(['shellscript'], {
    multilineQuotes: `"'`,
    interpolations: [
      { quote: '"', open: '$(', close: ')' },
      { quote: '"', open: '${', close: '}' },
    ],
    caseLabel: /^\s*\(?[^()\s;#][^();]*\)\s*(?:#.*)?$/,
    grammar: 'bash',
    blockOpeners: ['then', 'do', '{'],
    keywords: words(
      'if then else elif fi case esac for select while until do done in function time local export declare readonly return',
    ),
    builtins: words('echo printf cd test read set unset shift exit'),
    declarationKeywords: ['function'],
    functionNodes: ['function_definition'],
  }),
  // Languages without a shipped grammar: comments, blocks and declarations for the text heuristics.
  slashComments(['objectivec', 'objectivecpp', 'cuda'], {
    family: 'c',
    keywords: words(C_KEYWORDS),
    declarationKeywords: ['struct', 'union', 'enum', 'typedef'],
    typeKeywords: ['struct', 'union', 'enum'],
  }),
  slashComments(['kotlin'], {
    declarationKeywords: ['fun', 'class', 'interface', 'object', 'val', 'var'],
    typeKeywords: ['class', 'interface', 'object'],
  }),
  slashComments(['scala'], {
    declarationKeywords: ['def', 'class', 'trait', 'object', 'val', 'var', 'type'],
    typeKeywords: ['class', 'trait', 'object'],
  }),
  slashComments(['swift'], {
    declarationKeywords: ['func', 'class', 'struct', 'enum', 'protocol', 'extension', 'let', 'var'],
    typeKeywords: ['class', 'struct', 'enum', 'protocol', 'extension'],
  }),
  slashComments(['dart'], {
    declarationKeywords: ['class', 'enum', 'mixin', 'extension', 'final', 'const', 'var'],
    typeKeywords: ['class', 'enum', 'mixin', 'extension'],
  }),
  slashComments(['groovy'], {
    declarationKeywords: ['def', 'class', 'interface', 'enum', 'trait'],
    typeKeywords: ['class', 'interface', 'enum', 'trait'],
  }),
  slashComments(['zig'], { declarationKeywords: ['fn', 'const', 'var'], typeKeywords: ['struct', 'enum', 'union'] }),
  slashComments(['solidity'], {
    declarationKeywords: ['function', 'contract', 'interface', 'library', 'struct', 'enum', 'event', 'modifier'],
    typeKeywords: ['contract', 'interface', 'library', 'struct', 'enum'],
  }),
  slashComments(['proto', 'proto3'], {
    declarationKeywords: ['message', 'service', 'enum', 'rpc'],
    typeKeywords: ['message', 'service', 'enum'],
  }),
  slashComments(['jsonc']),
  lang(['css'], { lineComments: [], commentsAtFileStart: true }),
  lang(['scss', 'less'], { family: 'css' }),
  lang(['html', 'xml', 'vue', 'svelte'], { lineComments: [], blockComment: ['<!--', '-->'], blockOpeners: ['>'] }),
  lang(['json'], { lineComments: [], blockComment: undefined }),
  hashComments(['perl'], { declarationKeywords: ['sub', 'package', 'my', 'our'] }),
  hashComments(['r'], { blockOpeners: ['{'] }),
  hashComments(['elixir'], {
    blockOpeners: ['do', '->'],
    declarationKeywords: ['def', 'defp', 'defmodule', 'defmacro'],
    typeKeywords: ['defmodule'],
  }),
  hashComments(['powershell'], { blockComment: ['<#', '#>'], declarationKeywords: ['function', 'class', 'filter'] }),
  hashComments(['makefile'], { tabIndent: true, blockOpeners: [':'] }),
  hashComments(['dockerfile'], { blockOpeners: [] }),
  hashComments(['yaml'], { offside: true, blockOpeners: [':'] }),
  hashComments(['toml', 'properties', 'ini'], { blockOpeners: [] }),
  hashComments(['coffeescript'], {
    offside: true,
    blockOpeners: ['->', '=>'],
    declarationKeywords: ['class'],
    typeKeywords: ['class'],
  }),
  hashComments(['julia'], {
    blockComment: ['#=', '=#'],
    blockOpeners: ['do', 'begin'],
    declarationKeywords: ['function', 'struct', 'module', 'macro', 'const'],
    typeKeywords: ['struct', 'module'],
  }),
  hashComments(['nim'], {
    offside: true,
    blockOpeners: ['=', ':'],
    declarationKeywords: ['proc', 'func', 'type', 'const', 'let', 'var'],
    typeKeywords: ['type'],
  }),
  hashComments(['crystal'], {
    blockOpeners: ['do', 'then', 'begin'],
    declarationKeywords: ['def', 'class', 'module', 'struct'],
    typeKeywords: ['class', 'module', 'struct'],
  }),
  hashComments(['cmake'], { blockOpeners: ['('] }),
  hashComments(['gdscript'], {
    offside: true,
    blockOpeners: [':'],
    declarationKeywords: ['func', 'class', 'var', 'const'],
    typeKeywords: ['class'],
  }),
  hashComments(['tcl'], { declarationKeywords: ['proc'] }),
  dashComments(['lua'], {
    blockComment: ['--[[', ']]'],
    blockOpeners: ['then', 'do', 'function'],
    declarationKeywords: ['function', 'local'],
  }),
  dashComments(['sql'], { blockComment: ['/*', '*/'], blockOpeners: ['('] }),
  dashComments(['haskell', 'purescript', 'elm'], {
    blockComment: ['{-', '-}'],
    offside: true,
    blockOpeners: ['=', 'where', 'do', 'of'],
  }),
  slashComments(['fsharp'], {
    blockComment: ['(*', '*)'],
    offside: true,
    blockOpeners: ['=', '->', 'do', 'then'],
    keywords: words(
      'abstract and as assert base begin class default delegate do done downcast downto elif else end exception ' +
        'extern false finally for fun function global if in inherit inline interface internal lazy let match member ' +
        'module mutable namespace new not null of open or override private public rec return sig static struct then ' +
        'to true try type upcast use val void when while with yield',
    ),
    declarationKeywords: ['let', 'type', 'module', 'member'],
    typeKeywords: ['type', 'module'],
  }),
  dashComments(['ada', 'vhdl'], { blockOpeners: ['is', 'begin', 'then', 'loop'] }),
];

const BY_ID = new Map<string, Language>();
for (const l of LANGUAGES) for (const id of l.ids) BY_ID.set(id, l);

/** The entry of a VS Code language id, or undefined when Tessera knows nothing about it. */
export function languageOf(languageId: string): Language | undefined {
  return BY_ID.get(languageId);
}

/** The family of a VS Code language id (TS/JS/TSX/JSX together; C/C++ together; else the id itself). */
export function languageFamily(languageId: string): string {
  return BY_ID.get(languageId)?.family ?? languageId;
}

/** The line-comment marker usable at the top of a file, or undefined (the language has none, or files start in HTML). */
export function lineCommentOf(languageId: string): string | undefined {
  const l = BY_ID.get(languageId);
  return l && l.commentsAtFileStart ? l.lineComments[0] : undefined;
}

const union = (pick: (l: Language) => Iterable<string>) => [...new Set(LANGUAGES.flatMap((l) => [...pick(l)]))];

/**
 * What holds for text of an unknown language: the keywords, built-ins and declaration words of every language in the
 * table (a word reserved anywhere is not taken for a name), no comment marker, blocks by brackets.
 */
export const ANY_LANGUAGE: Language = {
  ...lang(['*'], { lineComments: [], blockComment: undefined }),
  keywords: new Set(union((l) => l.keywords)),
  builtins: new Set(union((l) => l.builtins)),
  declarationKeywords: union((l) => l.declarationKeywords),
  modifiers: union((l) => l.modifiers),
  typeKeywords: union((l) => l.typeKeywords),
};

/** The entry of a VS Code language id, or ANY_LANGUAGE for an unknown id. */
export function languageOrAny(languageId: string | undefined): Language {
  return (languageId !== undefined && BY_ID.get(languageId)) || ANY_LANGUAGE;
}

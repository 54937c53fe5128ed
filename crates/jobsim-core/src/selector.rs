//! Kubernetes-style label selectors, as the v1 list methods accept them in `labelSelector`
//! (R32, §4.13): `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`
//! (`notIn` too), `key` (exists) and `!key` (does not exist), joined by commas.
//!
//! gcloud sends forms such as `run.googleapis.com/job = etl` and
//! `run.googleapis.com/execution=e,run.googleapis.com/runningState in (Succeeded,Failed)`.

use std::collections::BTreeMap;

/// Longest selector accepted, so hostile input cannot make the parser allocate much.
pub const MAX_SELECTOR_BYTES: usize = 4096;

/// Most requirements accepted in one selector, for the same reason.
pub const MAX_REQUIREMENTS: usize = 100;

/// A parsed `labelSelector`: an object matches when it meets every requirement (an empty
/// selector matches everything).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    /// The comma-separated requirements, in the order written.
    pub requirements: Vec<Requirement>,
}

/// One comma-separated term of a selector, with Kubernetes semantics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// `key=value` / `key==value`: the label is present with exactly this value.
    Equals(String, String),
    /// `key!=value`: the label is absent or has another value.
    NotEquals(String, String),
    /// `key in (a,b)`: the label is present with one of these values.
    In(String, Vec<String>),
    /// `key notin (a,b)`: the label is absent or has none of these values.
    NotIn(String, Vec<String>),
    /// `key`: the label is present (any value).
    Exists(String),
    /// `!key`: the label is absent.
    DoesNotExist(String),
}

/// Whether two label keys or values are equal: lengths first, then a plain byte loop. In the
/// size-optimized wasm `==` on strings and the map's `Ord` are a `memcmp` call each, and
/// `jobs.list`'s selector over every job was the heaviest path of the API mix (BENCHMARKS.md,
/// "Issue 10 — API mix in wasm").
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The value of label `key`: objects carry a handful of labels, so one pass comparing with
/// [`same`] beats the tree search and its full string comparisons.
fn label<'m>(labels: &'m BTreeMap<String, String>, key: &str) -> Option<&'m str> {
    labels.iter().find(|(k, _)| same(k, key)).map(|(_, v)| v.as_str())
}

impl Requirement {
    /// Whether one object's labels meet this requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Requirement::Equals(k, v) => label(labels, k).is_some_and(|x| same(x, v)),
            Requirement::NotEquals(k, v) => !label(labels, k).is_some_and(|x| same(x, v)),
            Requirement::In(k, vs) => label(labels, k).is_some_and(|v| vs.iter().any(|x| same(x, v))),
            Requirement::NotIn(k, vs) => !label(labels, k).is_some_and(|v| vs.iter().any(|x| same(x, v))),
            Requirement::Exists(k) => label(labels, k).is_some(),
            Requirement::DoesNotExist(k) => label(labels, k).is_none(),
        }
    }
}

impl Selector {
    /// Whether an object with these labels is selected: every requirement holds.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// The value an `Equals` requirement demands for `key`, so a list can use an index (e.g.
    /// executions by `run.googleapis.com/job`) instead of scanning every object.
    pub fn exact(&self, key: &str) -> Option<&str> {
        self.requirements.iter().find_map(|r| match r {
            Requirement::Equals(k, v) if k == key => Some(v.as_str()),
            _ => None,
        })
    }

    /// True when the selector has no requirement and so selects everything.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }
}

/// Parses a `labelSelector`; the empty (or blank) string selects everything. Errors quote the
/// selector and name the position (0-based character index) of the offending token.
pub fn parse(s: &str) -> Result<Selector, String> {
    if s.len() > MAX_SELECTOR_BYTES {
        return Err(format!(
            "invalid labelSelector: {} bytes is longer than the maximum of {MAX_SELECTOR_BYTES}",
            s.len()
        ));
    }
    let tokens = lex(s);
    let mut p = Parser { input: s, tokens, at: 0 };
    let mut requirements = Vec::new();
    if p.peek().kind == Kind::End {
        return Ok(Selector { requirements });
    }
    loop {
        if requirements.len() == MAX_REQUIREMENTS {
            return Err(p.fail(&format!("more than {MAX_REQUIREMENTS} requirements at position {}", p.peek().pos)));
        }
        requirements.push(p.requirement()?);
        let t = p.next();
        match t.kind {
            Kind::End => break,
            Kind::Comma => {}
            _ => {
                return Err(p.fail(&format!(
                    "expected \",\" or the end of the selector at position {}, found {}",
                    t.pos,
                    t.describe()
                )))
            }
        }
    }
    Ok(Selector { requirements })
}

/// Token kinds of the selector grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A key, value or operator word (`in`, `notin`).
    Ident,
    /// `,`
    Comma,
    /// `(`
    Open,
    /// `)`
    Close,
    /// `=` or `==`
    Eq,
    /// `!=`
    NotEq,
    /// `!`
    Bang,
    /// End of input.
    End,
}

/// One token with its text and the character position where it starts.
#[derive(Debug, Clone)]
struct Token {
    /// What the token is.
    kind: Kind,
    /// The token's text as written.
    text: String,
    /// 0-based character index in the input.
    pos: usize,
}

impl Token {
    /// The token as an error message shows it.
    fn describe(&self) -> String {
        if self.kind == Kind::End {
            "the end of the selector".to_string()
        } else {
            format!("{:?}", self.text)
        }
    }
}

/// Characters that end an identifier (besides whitespace).
fn is_special(c: char) -> bool {
    matches!(c, ',' | '=' | '!' | '(' | ')')
}

/// Splits the selector into tokens; never fails (the parser reports misplaced tokens).
fn lex(s: &str) -> Vec<Token> {
    let chars: Vec<char> = s.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let (kind, len) = match c {
            ',' => (Kind::Comma, 1),
            '(' => (Kind::Open, 1),
            ')' => (Kind::Close, 1),
            '=' if chars.get(i + 1) == Some(&'=') => (Kind::Eq, 2),
            '=' => (Kind::Eq, 1),
            '!' if chars.get(i + 1) == Some(&'=') => (Kind::NotEq, 2),
            '!' => (Kind::Bang, 1),
            _ => {
                let mut j = i;
                while j < chars.len() && !chars[j].is_whitespace() && !is_special(chars[j]) {
                    j += 1;
                }
                (Kind::Ident, j - i)
            }
        };
        i += len;
        tokens.push(Token { kind, text: chars[start..i].iter().collect(), pos: start });
    }
    tokens.push(Token { kind: Kind::End, text: String::new(), pos: chars.len() });
    tokens
}

/// Recursive-descent parser over the token list.
struct Parser<'a> {
    /// The raw selector, quoted in errors.
    input: &'a str,
    /// Tokens, always ending with [`Kind::End`].
    tokens: Vec<Token>,
    /// Index of the next token.
    at: usize,
}

impl Parser<'_> {
    /// The next token without consuming it (the final `End` repeats forever).
    fn peek(&self) -> Token {
        self.tokens.get(self.at).or_else(|| self.tokens.last()).cloned().unwrap_or(Token {
            kind: Kind::End,
            text: String::new(),
            pos: 0,
        })
    }

    /// Consumes and returns the next token.
    fn next(&mut self) -> Token {
        let t = self.peek();
        if self.at < self.tokens.len() {
            self.at += 1;
        }
        t
    }

    /// An error message quoting the whole selector.
    fn fail(&self, what: &str) -> String {
        format!("invalid labelSelector {:?}: {what}", self.input)
    }

    /// One requirement: `!key`, `key`, `key op value` or `key (in|notin) (values)`.
    fn requirement(&mut self) -> Result<Requirement, String> {
        let t = self.next();
        match t.kind {
            Kind::Bang => {
                let key = self.next();
                if key.kind != Kind::Ident {
                    return Err(self.fail(&format!(
                        "expected a key after \"!\" at position {}, found {}",
                        key.pos,
                        key.describe()
                    )));
                }
                Ok(Requirement::DoesNotExist(key.text))
            }
            Kind::Ident => self.after_key(t.text),
            Kind::Comma => Err(self.fail(&format!("empty requirement before \",\" at position {}", t.pos))),
            Kind::End => {
                Err(self.fail(&format!("expected a requirement after the trailing \",\" at position {}", t.pos)))
            }
            Kind::Eq | Kind::NotEq => {
                Err(self.fail(&format!("expected a key before {:?} at position {}", t.text, t.pos)))
            }
            Kind::Open | Kind::Close => {
                Err(self.fail(&format!("expected a key at position {}, found {}", t.pos, t.describe())))
            }
        }
    }

    /// What follows a key: nothing (exists), `=`/`==`/`!=` and a value, or a set operator.
    fn after_key(&mut self, key: String) -> Result<Requirement, String> {
        let op = self.peek();
        match op.kind {
            Kind::Comma | Kind::End => Ok(Requirement::Exists(key)),
            Kind::Eq | Kind::NotEq => {
                self.next();
                let value = self.value_after(&op)?;
                Ok(if op.kind == Kind::Eq {
                    Requirement::Equals(key, value)
                } else {
                    Requirement::NotEquals(key, value)
                })
            }
            Kind::Ident if matches!(op.text.as_str(), "in" | "notin" | "notIn") => {
                self.next();
                let values = self.value_list(&op)?;
                Ok(if op.text == "in" { Requirement::In(key, values) } else { Requirement::NotIn(key, values) })
            }
            _ => Err(self.fail(&format!(
                "expected \"=\", \"!=\", \"in\", \"notin\", \",\" or the end after key {:?} at \
                 position {}, found {}",
                key,
                op.pos,
                op.describe()
            ))),
        }
    }

    /// The value after `=`/`!=`; absent (followed by `,` or the end) means the empty value.
    fn value_after(&mut self, op: &Token) -> Result<String, String> {
        let t = self.peek();
        match t.kind {
            Kind::Ident => {
                self.next();
                Ok(t.text)
            }
            Kind::Comma | Kind::End => Ok(String::new()),
            _ => Err(self.fail(&format!(
                "expected a value after {:?} at position {}, found {}",
                op.text,
                t.pos,
                t.describe()
            ))),
        }
    }

    /// `( v1, v2, … )` after `in`/`notin`: at least one value, no empty values.
    fn value_list(&mut self, op: &Token) -> Result<Vec<String>, String> {
        let open = self.next();
        if open.kind != Kind::Open {
            return Err(self.fail(&format!("expected \"(\" after {:?} at position {}", op.text, open.pos)));
        }
        let mut values = Vec::new();
        loop {
            let v = self.next();
            if v.kind != Kind::Ident {
                return Err(self.fail(&format!(
                    "expected a value in the list after {:?} at position {}, found {}",
                    op.text,
                    v.pos,
                    v.describe()
                )));
            }
            values.push(v.text);
            let sep = self.next();
            match sep.kind {
                Kind::Comma => {}
                Kind::Close => return Ok(values),
                _ => {
                    return Err(self.fail(&format!(
                        "expected \",\" or \")\" in the list after {:?} at position {}, found {}",
                        op.text,
                        sep.pos,
                        sep.describe()
                    )))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn empty_selects_everything() {
        for input in ["", "   ", "\t"] {
            let sel = parse(input).unwrap();
            assert!(sel.is_empty());
            assert!(sel.matches(&labels(&[])));
            assert!(sel.matches(&labels(&[("a", "b")])));
        }
    }

    #[test]
    fn parses_every_operator() {
        use Requirement::*;
        let cases: Vec<(&str, Requirement)> = vec![
            ("a=b", Equals(s("a"), s("b"))),
            ("a==b", Equals(s("a"), s("b"))),
            ("a!=b", NotEquals(s("a"), s("b"))),
            ("a in (x,y)", In(s("a"), vec![s("x"), s("y")])),
            ("a in(x)", In(s("a"), vec![s("x")])),
            ("a notin (x, y)", NotIn(s("a"), vec![s("x"), s("y")])),
            ("a notIn (x)", NotIn(s("a"), vec![s("x")])),
            ("a", Exists(s("a"))),
            ("!a", DoesNotExist(s("a"))),
            ("! a", DoesNotExist(s("a"))),
            ("a=", Equals(s("a"), s(""))),
            ("a!=", NotEquals(s("a"), s(""))),
            ("a==", Equals(s("a"), s(""))),
            ("in", Exists(s("in"))),
            ("in=in", Equals(s("in"), s("in"))),
            ("  a  ==  b  ", Equals(s("a"), s("b"))),
            ("équipe=données", Equals(s("équipe"), s("données"))),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).unwrap().requirements, vec![want], "{input}");
        }
    }

    #[test]
    fn gcloud_forms() {
        let sel =
            parse("run.googleapis.com/execution=foo,run.googleapis.com/runningState in (Succeeded,Failed)").unwrap();
        assert_eq!(
            sel.requirements,
            vec![
                Requirement::Equals(s("run.googleapis.com/execution"), s("foo")),
                Requirement::In(s("run.googleapis.com/runningState"), vec![s("Succeeded"), s("Failed")]),
            ]
        );
        assert_eq!(sel.exact("run.googleapis.com/execution"), Some("foo"));
        assert_eq!(sel.exact("run.googleapis.com/runningState"), None);
        let task = |state: &str| {
            labels(&[("run.googleapis.com/execution", "foo"), ("run.googleapis.com/runningState", state)])
        };
        assert!(sel.matches(&task("Succeeded")));
        assert!(sel.matches(&task("Failed")));
        assert!(!sel.matches(&task("Running")));
        assert!(!sel.matches(&labels(&[("run.googleapis.com/execution", "foo")])));

        let sel = parse("run.googleapis.com/job = etl").unwrap();
        assert_eq!(sel.exact("run.googleapis.com/job"), Some("etl"));
        assert!(sel.matches(&labels(&[("run.googleapis.com/job", "etl"), ("x", "y")])));
        assert!(!sel.matches(&labels(&[("run.googleapis.com/job", "etl2")])));

        let sel = parse("run.googleapis.com/execution = e, run.googleapis.com/runningState in (A,B)").unwrap();
        assert_eq!(sel.requirements.len(), 2);
    }

    #[test]
    fn matching_semantics() {
        let obj = labels(&[("team", "data"), ("env", "prod"), ("empty", "")]);
        let m = |sel: &str| parse(sel).unwrap().matches(&obj);
        assert!(m("team=data"));
        assert!(!m("team=web"));
        assert!(m("team!=web"));
        assert!(!m("team!=data"));
        assert!(m("missing!=x"), "!= matches absent labels");
        assert!(m("team in (web,data)"));
        assert!(!m("team in (web)"));
        assert!(!m("missing in (x)"));
        assert!(m("team notin (web)"));
        assert!(!m("team notin (data,web)"));
        assert!(m("missing notin (x)"), "notin matches absent labels");
        assert!(m("team"));
        assert!(!m("missing"));
        assert!(m("!missing"));
        assert!(!m("!team"));
        assert!(m("empty="));
        assert!(!m("missing="), "= requires the label");
        assert!(m("team=data,env in (prod),!missing"));
        assert!(!m("team=data,env=dev"));
        assert!(m("empty=,team"));
        assert!(m("team in ( web , data )"));
        assert!(m("team notIn (web)"));
    }

    proptest::proptest! {
        /// R32: the one-pass label lookup finds what the map's own lookup finds (keys of the
        /// same length that differ, prefixes, the empty key).
        #[test]
        fn label_lookup_is_the_maps(
            map in proptest::collection::btree_map("[ab]{0,3}", "[xy]{0,2}", 0..8),
            key in "[ab]{0,3}",
        ) {
            proptest::prop_assert_eq!(label(&map, &key), map.get(&key).map(String::as_str));
            for k in map.keys() {
                proptest::prop_assert_eq!(same(k, &key), *k == key);
            }
        }
    }

    #[test]
    fn exact_finds_only_equals() {
        let sel = parse("a!=1,b in (2),c==3,d=4,c=5").unwrap();
        assert_eq!(sel.exact("a"), None);
        assert_eq!(sel.exact("b"), None);
        assert_eq!(sel.exact("c"), Some("3"));
        assert_eq!(sel.exact("d"), Some("4"));
        assert_eq!(sel.exact("z"), None);
    }

    #[test]
    fn error_names_position_and_token() {
        assert_eq!(
            parse("team in data").unwrap_err(),
            "invalid labelSelector \"team in data\": expected \"(\" after \"in\" at position 8"
        );
    }

    #[test]
    fn rejects_malformed() {
        let cases = [
            ("a in (x,y", "expected \",\" or \")\""),
            ("a in (x", "found the end of the selector"),
            ("a in", "expected \"(\" after \"in\" at position 4"),
            ("a notin", "expected \"(\" after \"notin\""),
            ("a in ()", "expected a value in the list"),
            ("a in (x,)", "expected a value in the list"),
            ("a in (x,,y)", "expected a value in the list"),
            ("a=b,", "trailing \",\" at position 4"),
            (",a=b", "empty requirement before \",\" at position 0"),
            ("a=b,,c", "empty requirement before \",\" at position 4"),
            ("=b", "expected a key before \"=\" at position 0"),
            ("!=b", "expected a key before \"!=\""),
            ("!", "expected a key after \"!\""),
            ("!,a", "expected a key after \"!\""),
            ("!a=b", "expected \",\" or the end of the selector at position 2"),
            ("a b", "after key \"a\" at position 2, found \"b\""),
            ("a=b c", "found \"c\""),
            ("a=(b)", "expected a value after \"=\""),
            ("(a)", "expected a key at position 0"),
            ("a in (x) y", "found \"y\""),
        ];
        for (input, needle) in cases {
            match parse(input) {
                Ok(sel) => panic!("{input:?} parsed as {sel:?}"),
                Err(err) => {
                    assert!(err.starts_with(&format!("invalid labelSelector {input:?}: ")), "{err}");
                    assert!(err.contains(needle), "{input:?}: {err}");
                }
            }
        }
    }

    #[test]
    fn caps_hostile_input() {
        let long = "a".repeat(MAX_SELECTOR_BYTES + 1);
        let err = parse(&long).unwrap_err();
        assert!(err.contains("longer than the maximum of 4096"), "{err}");
        assert!(err.len() < 200);

        let many: Vec<String> = (0..=MAX_REQUIREMENTS).map(|i| format!("k{i}")).collect();
        let err = parse(&many.join(",")).unwrap_err();
        assert!(err.contains("more than 100 requirements"), "{err}");
        let ok: Vec<String> = (0..MAX_REQUIREMENTS).map(|i| format!("k{i}")).collect();
        assert_eq!(parse(&ok.join(",")).unwrap().requirements.len(), 100);

        let parens = "(".repeat(MAX_SELECTOR_BYTES);
        assert!(parse(&parens).is_err());
        let commas = ",".repeat(MAX_SELECTOR_BYTES);
        assert!(parse(&commas).is_err());
    }
}

//! Misused attributes are compile errors pointing at the offending token; correct uses compile.

#[test]
fn attribute_misuse_is_a_compile_error_at_the_offending_argument() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/pass/*.rs");
}

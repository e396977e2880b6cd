//! Plan names (`phase7_core::batch::PlanNames`) are the same natively and in headless
//! Chromium, where the page takes their two Unicode operations (which characters are
//! letters or digits, the lowercase form names are compared in) from the browser instead
//! of the standard library's tables: names of many scripts, cased and uncased, with final
//! sigmas, titlecase and dotted capitals, astral letters, digits and numerals of other
//! kinds, marks, controls and bidi characters, each pinned to the name it gets after the
//! ones before it.

use phase7_core::batch::PlanNames;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn plan_names_of_every_script_are_the_same_natively_and_in_the_browser() {
    // Each file name, and the plan name it gets after the ones before it (the native
    // standard library's names: the browser's must be the same).
    let cases: [(&str, &str); 62] = [
        ("Bogotá D.C..json", "Bogotá_D.C."),
        ("bogotá d.c..json", "bogotá_d.c.-2"),
        ("MEDELLÍN.json", "MEDELLÍN"),
        ("medellín.json", "medellín-2"),
        ("ΟΔΥΣΣΕΥΣ.json", "ΟΔΥΣΣΕΥΣ"),
        ("οδυσσευς.json", "οδυσσευς-2"),
        ("Σ.json", "Σ"),
        ("σ.json", "σ-2"),
        ("İstanbul.json", "İstanbul"),
        ("i\u{307}stanbul.json", "i_stanbul"),
        ("Straße.json", "Straße"),
        ("STRASSE.json", "STRASSE"),
        ("strasse.json", "strasse-2"),
        ("ǅemal.json", "ǅemal"),
        ("ǆemal.json", "ǆemal-2"),
        ("Ǆemal.json", "Ǆemal-3"),
        ("𐐀𐐨.json", "𐐀𐐨"),
        ("𐐨𐐨.json", "𐐨𐐨-2"),
        ("ⅫRoman.json", "ⅫRoman"),
        ("ⅻroman.json", "ⅻroman-2"),
        ("٣٤٥.json", "٣٤٥"),
        ("x²³½.json", "x²³½"),
        ("ｆｕｌｌ.json", "ｆｕｌｌ"),
        ("ＦＵＬＬ.json", "ＦＵＬＬ-2"),
        ("emoji😀.json", "emoji_"),
        ("-rf.json", "_rf"),
        (".hidden", "_hidden"),
        ("..json", "_"),
        ("a\u{202e}b\u{2066}c.json", "a_b_c"),
        ("tab\there\u{7}\u{7f}\u{85}.json", "tab_here___"),
        ("plan.tar.gz", "plan.tar"),
        ("summary.csv.json", "summary.csv-2"),
        ("Cafe\u{301}.json", "Cafe_"),
        ("\u{345}ᾀᾈ.json", "\u{345}ᾀᾈ"),
        ("ᾈ.json", "ᾈ"),
        ("Ⓐⓑ.json", "Ⓐⓑ"),
        ("ⓐⓑ.json", "ⓐⓑ-2"),
        ("ΑΣ ΣΑ.json", "ΑΣ_ΣΑ"),
        ("ας_σα.json", "ας_σα-2"),
        ("ασ_σα.json", "ασ_σα"),
        ("ΑΣ.Α.json", "ΑΣ.Α"),
        ("ασ.α.json", "ασ.α-2"),
        ("ας.α.json", "ας.α"),
        ("Ꭰꭰ.json", "Ꭰꭰ"),
        ("ᏸ.json", "ᏸ"),
        ("ꮰ.json", "ꮰ"),
        ("Ⴀ.json", "Ⴀ"),
        ("ⴀ.json", "ⴀ-2"),
        ("Ა.json", "Ა"),
        ("ა.json", "ა-2"),
        ("中文名.json", "中文名"),
        ("日本語-ファイル.json", "日本語-ファイル"),
        ("한국어.json", "한국어"),
        ("ŉ.json", "ŉ"),
        ("K.json", "K"),
        ("k.json", "k-2"),
        ("Å.json", "Å"),
        ("å.json", "å-2"),
        ("Ω.json", "Ω"),
        ("ω.json", "ω-2"),
        (".json", "_json"),
        ("", "plan"),
    ];
    let mut names = PlanNames::default();
    for (file, want) in cases {
        assert_eq!(names.name(file), want, "{file:?}");
    }
}

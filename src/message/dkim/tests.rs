#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::process::Command;

use base64::Engine;

use super::*;

/// RFC 8463 Appendix A: the Ed25519 key (its seed as PKCS#8) and the message.
const RFC8463_SEED: &str = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
const RFC8463_MESSAGE: &[u8] = b"From: Joe SixPack <joe@football.example.com>\r\n\
To: Suzie Q <suzie@shopping.example.net>\r\n\
Subject: Is dinner ready?\r\n\
Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n\
Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n\
\r\n\
Hi.\r\n\
\r\n\
We lost the game.  Are you hungry yet?\r\n\
\r\n\
Joe.\r\n";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// PKCS#8 v1 of an Ed25519 seed, as `openssl genpkey -algorithm ed25519` writes it.
fn ed25519_pem(seed_b64: &str) -> Vec<u8> {
    let mut der = vec![0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
    der.extend(base64::engine::general_purpose::STANDARD.decode(seed_b64).unwrap());
    format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", b64(&der)).into_bytes()
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl").args(args).output().expect("openssl");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn tag(header: &str, name: &str) -> Option<String> {
    let unfolded: String = header.split("\r\n").map(str::trim).collect::<Vec<_>>().join(" ");
    let body = unfolded.strip_prefix("DKIM-Signature:")?;
    body.split(';').map(str::trim).find_map(|t| {
        let (k, v) = t.split_once('=')?;
        (k.trim() == name).then(|| v.chars().filter(|c| !c.is_whitespace()).collect())
    })
}

#[test]
fn rfc8463_body_hash_and_key() {
    let options = SignerOptions {
        headers: Some(
            ["from", "to", "subject", "date", "message-id", "from", "subject", "date"].map(String::from).to_vec(),
        ),
        identity: Some("@football.example.com".into()),
        ..SignerOptions::default()
    };
    let signer = Signer::new("football.example.com", "brisbane", &ed25519_pem(RFC8463_SEED), &options).unwrap();
    assert_eq!(signer.algorithm(), Algorithm::Ed25519Sha256);
    let header = String::from_utf8(signer.sign(RFC8463_MESSAGE).unwrap()).unwrap();
    assert!(
        header.starts_with(
            "DKIM-Signature: v=1; a=ed25519-sha256; s=brisbane; d=football.example.com; c=relaxed/relaxed;"
        ),
        "{header}"
    );
    assert!(header.ends_with("\r\n"));
    // The body hash of RFC 8463 Appendix A.3.
    assert_eq!(tag(&header, "bh").as_deref(), Some("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8="));
    assert_eq!(tag(&header, "i").as_deref(), Some("@football.example.com"));
    // The fields found, bottom-up, then the listed ones that were not (signed as absent).
    assert_eq!(
        tag(&header, "h").map(|h| h.to_ascii_lowercase()).as_deref(),
        Some("message-id:date:subject:to:from:from:subject:date")
    );
    assert_eq!(tag(&header, "l"), None);
    // Ed25519 signatures are 64 bytes.
    let b = base64::engine::general_purpose::STANDARD.decode(tag(&header, "b").unwrap()).unwrap();
    assert_eq!(b.len(), 64);
    // Folded: the tag list after the first line in lines under 80 characters.
    assert!(header.split("\r\n").skip(1).all(|l| l.len() <= 80), "{header}");
    assert!(header.split("\r\n").skip(1).all(|l| l.is_empty() || l.starts_with('\t')), "{header}");
}

#[test]
fn pieces_of_any_size_sign_as_the_whole() {
    let signer =
        Signer::new("football.example.com", "brisbane", &ed25519_pem(RFC8463_SEED), &SignerOptions::default()).unwrap();
    let whole = String::from_utf8(signer.sign(RFC8463_MESSAGE).unwrap()).unwrap();
    for size in [1, 2, 3, 7, 64] {
        let mut signing = signer.start();
        for piece in RFC8463_MESSAGE.chunks(size) {
            signing.write(piece);
        }
        let header = String::from_utf8(signing.finish().unwrap()).unwrap();
        assert_eq!(tag(&header, "bh"), tag(&whole, "bh"), "pieces of {size}");
        assert_eq!(tag(&header, "h"), tag(&whole, "h"));
    }
}

#[test]
fn default_headers_oversign_from_and_the_absent() {
    let signer =
        Signer::new("football.example.com", "brisbane", &ed25519_pem(RFC8463_SEED), &SignerOptions::default()).unwrap();
    let header = String::from_utf8(signer.sign(RFC8463_MESSAGE).unwrap()).unwrap();
    let h = tag(&header, "h").unwrap().to_ascii_lowercase();
    let names: Vec<&str> = h.split(':').collect();
    assert_eq!(names.iter().filter(|n| **n == "from").count(), 2, "{h}");
    for present in ["to", "subject", "date", "message-id"] {
        assert!(names.contains(&present), "{h}");
    }
    // Absent fields are signed as absent: adding one later breaks the signature.
    for absent in ["cc", "reply-to", "content-type", "mime-version"] {
        assert!(names.contains(&absent), "{h}");
    }
}

#[test]
fn rsa_keys_pkcs8_and_pkcs1() {
    let pkcs8 = openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]);
    let pkcs1 = openssl(&["genrsa", "-traditional", "2048"]);
    for pem in [pkcs8, pkcs1] {
        let signer = Signer::new("example.com", "s1", &pem, &SignerOptions::default()).unwrap();
        assert_eq!(signer.algorithm(), Algorithm::RsaSha256);
        let header = String::from_utf8(signer.sign(RFC8463_MESSAGE).unwrap()).unwrap();
        assert_eq!(tag(&header, "a").as_deref(), Some("rsa-sha256"));
        let b = base64::engine::general_purpose::STANDARD.decode(tag(&header, "b").unwrap()).unwrap();
        assert_eq!(b.len(), 256);
        // The key never shows in what a caller can print.
        assert!(!format!("{signer:?}").contains("BEGIN"));
    }
}

#[test]
fn bad_keys_say_why_and_never_show_the_key() {
    let small = openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]);
    let ec = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    let ec_sec1 = openssl(&["ecparam", "-name", "prime256v1", "-genkey", "-noout"]);
    let rsa = openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]);
    let encrypted = {
        let dir = std::env::temp_dir().join(format!("dkim-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let plain = dir.join("k.pem");
        std::fs::write(&plain, &rsa).unwrap();
        let out = openssl(&["pkcs8", "-topk8", "-in", plain.to_str().unwrap(), "-passout", "pass:secret"]);
        std::fs::remove_dir_all(&dir).unwrap();
        out
    };
    let mut damaged = rsa.clone();
    let middle = damaged.len() / 2;
    damaged[middle] = if damaged[middle] == b'A' { b'B' } else { b'A' };
    type Expected = fn(&DkimError) -> bool;
    let cases: Vec<(&str, Vec<u8>, Expected)> = vec![
        ("1024-bit RSA", small, |e| matches!(e, DkimError::RsaSize(_))),
        ("EC (PKCS#8)", ec, |e| matches!(e, DkimError::WrongType(_))),
        ("EC (SEC1)", ec_sec1, |e| matches!(e, DkimError::WrongType(_))),
        ("encrypted", encrypted, |e| matches!(e, DkimError::Encrypted)),
        ("not PEM", b"/etc/nothing-here".to_vec(), |e| matches!(e, DkimError::NotAKey)),
        ("empty", Vec::new(), |e| matches!(e, DkimError::NotAKey)),
        ("damaged", damaged, |e| matches!(e, DkimError::Damaged(_) | DkimError::NotAKey)),
    ];
    for (what, pem, expected) in cases {
        let error = Signer::new("example.com", "s1", &pem, &SignerOptions::default()).unwrap_err();
        assert!(expected(&error), "{what}: {error:?}");
        let text = error.to_string();
        // No line of the key's text is in the message.
        let pem = String::from_utf8_lossy(&pem).into_owned();
        assert!(
            pem.lines().filter(|l| l.len() > 8 && !l.starts_with("-----")).all(|l| !text.contains(l)),
            "{what}: {text}"
        );
        assert!(!text.contains("MII"), "{what}: {text}");
    }
}

#[test]
fn settings_are_checked() {
    let key = ed25519_pem(RFC8463_SEED);
    let new = |domain: &str, selector: &str, options: SignerOptions| Signer::new(domain, selector, &key, &options);
    assert!(new("example.com", "s1", SignerOptions::default()).is_ok());
    assert!(new("bücher.example", "s1", SignerOptions::default()).is_ok());
    assert!(new("sub.example.com.", "2024._x", SignerOptions::default()).is_ok());
    for domain in ["", "exa mple.com", "-x.com", "a..b", "x;y.com"] {
        assert!(matches!(new(domain, "s1", SignerOptions::default()), Err(DkimError::Setting(_))), "{domain:?}");
    }
    for selector in ["", "s 1", "s;1", "s=1", ".s"] {
        assert!(
            matches!(new("example.com", selector, SignerOptions::default()), Err(DkimError::Setting(_))),
            "{selector:?}"
        );
    }
    let with = |options: SignerOptions| new("example.com", "s1", options);
    assert!(matches!(
        with(SignerOptions { algorithm: Some(Algorithm::RsaSha256), ..SignerOptions::default() }),
        Err(DkimError::AlgorithmMismatch { .. })
    ));
    assert!(with(SignerOptions { algorithm: Some(Algorithm::Ed25519Sha256), ..SignerOptions::default() }).is_ok());
    assert!(matches!(
        with(SignerOptions { headers: Some(vec!["To".into(), "Subject".into()]), ..SignerOptions::default() }),
        Err(DkimError::Setting(_))
    ));
    assert!(matches!(
        with(SignerOptions { headers: Some(vec!["From".into(), "Bad:Name".into()]), ..SignerOptions::default() }),
        Err(DkimError::Setting(_))
    ));
    for ok in ["@example.com", "news@example.com", "x@mail.example.com"] {
        assert!(with(SignerOptions { identity: Some(ok.into()), ..SignerOptions::default() }).is_ok(), "{ok}");
    }
    for bad in ["example.com", "@example.org", "x@badexample.com", "a;b@example.com"] {
        assert!(
            matches!(
                with(SignerOptions { identity: Some(bad.into()), ..SignerOptions::default() }),
                Err(DkimError::Setting(_))
            ),
            "{bad}"
        );
    }
    assert!(Algorithm::parse("RSA-SHA256").is_ok());
    assert!(Algorithm::parse("rsa-sha1").is_err());
}

#[test]
fn expiry_sets_x() {
    let key = ed25519_pem(RFC8463_SEED);
    let signer =
        Signer::new("example.com", "s1", &key, &SignerOptions { expire: Some(3600), ..SignerOptions::default() })
            .unwrap();
    let header = String::from_utf8(signer.sign(RFC8463_MESSAGE).unwrap()).unwrap();
    let t: u64 = tag(&header, "t").unwrap().parse().unwrap();
    let x: u64 = tag(&header, "x").unwrap().parse().unwrap();
    assert_eq!(x, t + 3600);
}

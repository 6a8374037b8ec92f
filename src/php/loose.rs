//! Property types that accept writes the way untyped PHP properties do (`$m->port = "2525"`),
//! and a `string` parameter type that takes any bytes.
//!
//! Legacy scripts assign strings to `$port`, ints to `$debug`, null to anything; ext-php-rs
//! properties would refuse those writes, so these types coerce like PHP's own juggling.

use ext_php_rs::{
    convert::{FromZval, IntoZval},
    flags::DataType,
    types::{ZendStr, Zval},
};

/// An int property: `"2525"` gives 2525, `true` gives 1, `null` gives 0; never refuses a write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LooseInt(pub i64);

impl FromZval<'_> for LooseInt {
    const TYPE: DataType = DataType::Mixed;

    fn from_zval(zval: &Zval) -> Option<Self> {
        if let Some(array) = zval.array() {
            return Some(LooseInt(i64::from(!array.is_empty())));
        }
        if zval.is_object() {
            return Some(LooseInt(1));
        }
        Some(LooseInt(zval.coerce_to_long().unwrap_or(0)))
    }
}

impl IntoZval for LooseInt {
    const TYPE: DataType = DataType::Mixed;
    const NULLABLE: bool = true;

    fn set_zval(self, zval: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        zval.set_long(self.0);
        Ok(())
    }
}

/// A bool property: any value, converted with PHP's truthiness.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LooseBool(pub bool);

impl FromZval<'_> for LooseBool {
    const TYPE: DataType = DataType::Mixed;

    fn from_zval(zval: &Zval) -> Option<Self> {
        Some(LooseBool(zval.coerce_to_bool()))
    }
}

impl IntoZval for LooseBool {
    const TYPE: DataType = DataType::Mixed;
    const NULLABLE: bool = true;

    fn set_zval(self, zval: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        zval.set_bool(self.0);
        Ok(())
    }
}

/// A string property: numbers become their text, `null` and `false` become `""`, an array
/// `"Array"`; never refuses a write.
/// Holds bytes, so a reply or a name in any charset round-trips unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LooseString(pub Vec<u8>);

impl LooseString {
    /// The text, with invalid UTF-8 replaced.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
}

impl From<&str> for LooseString {
    fn from(text: &str) -> Self {
        LooseString(text.as_bytes().to_vec())
    }
}

impl From<String> for LooseString {
    fn from(text: String) -> Self {
        LooseString(text.into_bytes())
    }
}

impl FromZval<'_> for LooseString {
    const TYPE: DataType = DataType::Mixed;

    fn from_zval(zval: &Zval) -> Option<Self> {
        if let Some(s) = zval.zend_str() {
            return Some(LooseString(s.as_bytes().to_vec()));
        }
        if zval.is_array() {
            return Some(LooseString::from("Array"));
        }
        Some(zval.coerce_to_string().map(LooseString::from).unwrap_or_default())
    }
}

impl IntoZval for LooseString {
    const TYPE: DataType = DataType::Mixed;
    const NULLABLE: bool = true;

    fn set_zval(self, zval: &mut Zval, persistent: bool) -> ext_php_rs::error::Result<()> {
        zval.set_zend_string(ZendStr::new(&self.0, persistent));
        Ok(())
    }
}

/// A `string` parameter of any bytes (ext-php-rs's `String` takes UTF-8 only), with a default.
#[derive(Debug, Clone, Default)]
pub struct Bytes(pub Vec<u8>);

impl From<String> for Bytes {
    fn from(text: String) -> Bytes {
        Bytes(text.into_bytes())
    }
}

impl FromZval<'_> for Bytes {
    const TYPE: DataType = DataType::String;

    fn from_zval(zval: &Zval) -> Option<Self> {
        zval.zend_str().map(|s| Bytes(s.as_bytes().to_vec()))
    }
}

impl ext_php_rs::convert::StubLiteral for Bytes {
    fn stub_literal(&self) -> String {
        format!("{:?}", String::from_utf8_lossy(&self.0))
    }
}

//! Photos and voice notes from a visit (走访照片、语音备忘): which file types are taken, as what,
//! and how large they may be. The type is read from the file's first bytes (the server sniffs
//! them), never from its name.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachmentKind {
    Photo,
    Voice,
}

impl AttachmentKind {
    pub fn code(self) -> &'static str {
        match self {
            AttachmentKind::Photo => "photo",
            AttachmentKind::Voice => "voice",
        }
    }

    pub fn parse(s: &str) -> Option<AttachmentKind> {
        [AttachmentKind::Photo, AttachmentKind::Voice].into_iter().find(|k| k.code() == s)
    }

    /// The largest file taken (bytes). A phone with the service worker shrinks a photo to at most
    /// 500 KB first; this leaves room for one sent without it (a browser with JavaScript off).
    pub fn max_bytes(self) -> usize {
        match self {
            AttachmentKind::Photo => 8 << 20,
            AttachmentKind::Voice => 20 << 20,
        }
    }
}

/// The kind and the type a file is served as, for a sniffed MIME type: JPEG, PNG and WebP photos;
/// voice notes as phones record them (WebM on Android, MP4/M4A on iPhone, AMR, AAC, Ogg/Opus,
/// MP3, WAV). Anything else (HEIC, video, documents) is refused.
pub fn classify(sniffed: &str) -> Option<(AttachmentKind, &'static str)> {
    use AttachmentKind::*;
    Some(match sniffed {
        "image/jpeg" => (Photo, "image/jpeg"),
        "image/png" => (Photo, "image/png"),
        "image/webp" => (Photo, "image/webp"),
        // A WebM or MP4 container from a recorder: the browser plays its sound.
        "video/webm" | "audio/webm" => (Voice, "audio/webm"),
        "video/mp4" | "audio/mp4" | "audio/m4a" | "audio/x-m4a" => (Voice, "audio/mp4"),
        "audio/amr" => (Voice, "audio/amr"),
        "audio/aac" => (Voice, "audio/aac"),
        "audio/ogg" | "audio/opus" => (Voice, "audio/ogg"),
        "audio/mpeg" => (Voice, "audio/mpeg"),
        "audio/x-wav" | "audio/wav" => (Voice, "audio/wav"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_and_recordings_are_taken_and_the_rest_refused() {
        assert_eq!(classify("image/jpeg"), Some((AttachmentKind::Photo, "image/jpeg")));
        assert_eq!(classify("video/webm"), Some((AttachmentKind::Voice, "audio/webm")));
        assert_eq!(classify("audio/m4a"), Some((AttachmentKind::Voice, "audio/mp4")));
        for other in ["image/heif", "application/pdf", "text/html", "image/svg+xml", ""] {
            assert_eq!(classify(other), None, "{other}");
        }
        assert!(AttachmentKind::Voice.max_bytes() > AttachmentKind::Photo.max_bytes());
    }
}

"""Electronic certified copies from originals (chứng thực bản sao điện tử từ bản chính):
NĐ 23/2015/NĐ-CP as amended by NĐ 07/2025/NĐ-CP; see docs/certified-copies.md."""

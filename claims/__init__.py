"""Text in, Document and Claim objects out: loading, segmentation and claim extraction."""

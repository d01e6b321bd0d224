"""The media library's machinery: storage, image processing, rendition URLs and serving."""

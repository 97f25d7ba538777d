"""The Evolis escape-command language: commands, raster packing, stream decoding, replies."""

-- The file name an upload was sent with (a multipart field's filename), served back as the
-- Content-Disposition of its raw download.
ALTER TABLE uploads ADD COLUMN filename TEXT;

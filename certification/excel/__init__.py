"""Excel in and out for certification: the catalogue's sheet (certification.excel.sheets); the import is a service
(certification.services.catalogue.catalogue_import), the export a read (certification.excel.exports)."""

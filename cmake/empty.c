/* Placeholder translation unit for a subsystem that has no sources yet. */
typedef int tandem_empty_translation_unit;

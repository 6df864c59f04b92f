;; --invoke of a name the module does not export is a usage error.
;; args: --invoke nope
;; exit: 2
(module (func (export "yes")))

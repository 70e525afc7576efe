use std::fmt;

use super::MAX_SHEETS_PER_JOB;

macro_rules! id_type {
    ($name:ident($inner:ty), $fmt:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, $fmt, self.0)
            }
        }
    };
}

id_type!(JobId(u64), "J{:05}");
id_type!(CustomerId(u32), "C{:03}");
id_type!(PrinterId(usize), "P{}");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorMode {
    Mono,
    Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaperSize {
    A4,
    Letter,
    A3,
}

impl PaperSize {
    /// How many tray sheets one face of this size uses (A3 is fed as two A4 sheets).
    pub fn sheet_factor(self) -> u32 {
        match self {
            PaperSize::A3 => 2,
            PaperSize::A4 | PaperSize::Letter => 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    Normal,
    Rush,
}

#[derive(Debug, Clone)]
pub struct JobSpec {
    pub title: String,
    pub pages: u32,
    pub copies: u32,
    pub color: ColorMode,
    pub paper: PaperSize,
    pub duplex: bool,
    pub priority: Priority,
    pub needs_proof: bool,
}

impl JobSpec {
    pub fn new(title: impl Into<String>, pages: u32) -> Self {
        JobSpec {
            title: title.into(),
            pages,
            copies: 1,
            color: ColorMode::Mono,
            paper: PaperSize::A4,
            duplex: false,
            priority: Priority::Normal,
            needs_proof: false,
        }
    }

    pub fn copies(mut self, copies: u32) -> Self {
        self.copies = copies;
        self
    }

    pub fn color(mut self) -> Self {
        self.color = ColorMode::Color;
        self
    }

    pub fn paper(mut self, paper: PaperSize) -> Self {
        self.paper = paper;
        self
    }

    pub fn duplex(mut self) -> Self {
        self.duplex = true;
        self
    }

    pub fn rush(mut self) -> Self {
        self.priority = Priority::Rush;
        self
    }

    pub fn with_proof(mut self) -> Self {
        self.needs_proof = true;
        self
    }

    /// Sheets taken from the tray for the whole job.
    pub fn sheets(&self) -> u32 {
        let faces = if self.duplex { self.pages.div_ceil(2) } else { self.pages };
        faces * self.copies * self.paper.sheet_factor()
    }

    /// Printed pages, counting every copy.
    pub fn impressions(&self) -> u32 {
        self.pages * self.copies
    }

    pub fn validate(&self) -> Result<(), SpecError> {
        if self.pages == 0 {
            return Err(SpecError::NoPages);
        }
        if self.copies == 0 || self.copies > 50 {
            return Err(SpecError::TooManyCopies(self.copies));
        }
        if self.sheets() > MAX_SHEETS_PER_JOB {
            return Err(SpecError::TooManySheets(self.sheets()));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecError {
    NoPages,
    TooManyCopies(u32),
    TooManySheets(u32),
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::NoPages => write!(f, "the document has no pages"),
            SpecError::TooManyCopies(n) => write!(f, "{n} copies is outside 1..=50"),
            SpecError::TooManySheets(n) => write!(f, "{n} sheets is over the {MAX_SHEETS_PER_JOB} limit"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PrintJob {
    pub id: JobId,
    pub customer: CustomerId,
    pub spec: JobSpec,
}

impl PrintJob {
    pub fn new(id: JobId, customer: CustomerId, spec: JobSpec) -> Self {
        PrintJob { id, customer, spec }
    }
}

/// What renderers take from the intake queue.
#[derive(Debug)]
pub enum IntakeItem {
    Job(PrintJob),
    Stop,
}
